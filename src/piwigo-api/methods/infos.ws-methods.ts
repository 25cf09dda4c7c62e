import type { DataSource } from 'typeorm';
import { defineWsMethod, PIWIGO_COMPAT_VERSION, PwgNamedArray, type WsMethodDefinition } from '../../piwigo/index.js';
import { mysqlDatetime } from '../ws-format.js';

/** `pwg.getInfos` (administrators): gallery counts as `{ name, value }` items, in Piwigo's order. */
export function infosWsMethod(dataSource: DataSource): WsMethodDefinition {
  return defineWsMethod({
    name: 'pwg.getInfos',
    description: 'Returns general informations.',
    adminOnly: true,
    async handler() {
      const [row] = (await dataSource.query(
        `SELECT (SELECT count(*) FROM photos WHERE status <> 'lounge') AS nb_elements,
                (SELECT count(*) FROM albums) AS nb_categories,
                (SELECT count(*) FROM album_photos) AS nb_image_category,
                (SELECT count(*) FROM tags) AS nb_tags,
                (SELECT count(*) FROM photo_tags) AS nb_image_tag,
                (SELECT count(*) FROM users) AS nb_users,
                (SELECT count(*) FROM groups) AS nb_groups,
                (SELECT min(created_at) FROM photos) AS first_date,
                (SELECT server_version FROM (SELECT current_setting('server_version') AS server_version) v) AS db_version`,
      )) as Array<Record<string, string | number | Date | null>>;
      const r = row!;
      const items: Array<[string, string | number | null]> = [
        ['version', PIWIGO_COMPAT_VERSION],
        ['db_version', String(r['db_version'])],
        ['nb_elements', Number(r['nb_elements'])],
        ['nb_categories', Number(r['nb_categories'])],
        ['nb_virtual', Number(r['nb_categories'])],
        ['nb_physical', 0],
        ['nb_image_category', Number(r['nb_image_category'])],
        ['nb_tags', Number(r['nb_tags'])],
        ['nb_image_tag', Number(r['nb_image_tag'])],
        ['nb_users', Number(r['nb_users'])],
        ['nb_groups', Number(r['nb_groups'])],
        ['nb_comments', 0],
        ['first_date', mysqlDatetime(r['first_date'] as Date | null)],
      ];
      return { infos: new PwgNamedArray(items.map(([name, value]) => ({ name, value })), 'item') };
    },
  });
}
