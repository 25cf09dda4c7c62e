import type { DataSource } from 'typeorm';
import type { VisibilityService } from '../../access/visibility.service.js';
import type { TagService } from '../../tags/tag.service.js';
import { defineWsMethod, PwgNamedArray, PwgNamedStruct, type WsMethodDefinition, type WsValue } from '../../piwigo/index.js';
import { wsPrincipal } from '../ws-context.factory.js';
import { idString, mysqlDatetime } from '../ws-format.js';
import { queryWsImagePage, wsImageOrder } from '../ws-image.query.js';
import { tagUrlName, WS_IMAGE_XML_ATTRIBUTES, WS_TAG_XML_ATTRIBUTES, type WsImageShaper } from '../ws-image.shaper.js';

export interface TagWsDeps {
  dataSource: DataSource;
  visibility: VisibilityService;
  tags: TagService;
  shaper: WsImageShaper;
}

/**
 * `pwg.tags.getList|getAdminList|add|getImages` over {@link TagService}. Listings go through the
 * principal's scope: a tag carried only by photos the caller cannot see does not exist for it,
 * and counts are of visible photos.
 */
export function tagWsMethods({ dataSource, visibility, tags, shaper }: TagWsDeps): WsMethodDefinition[] {
  const getList = defineWsMethod({
    name: 'pwg.tags.getList',
    description: 'Retrieves a list of available tags.',
    params: { sort_by_counter: { type: 'bool', default: false } },
    async handler({ sort_by_counter }, ctx) {
      const scope = await visibility.scopeFor(wsPrincipal(ctx));
      const [list, dates] = await Promise.all([tags.visible(scope), tags.all()]);
      const createdAt = new Map(dates.map((d) => [d.id, d.createdAt]));
      if (sort_by_counter === true) list.sort((a, b) => b.photoCount - a.photoCount);
      return {
        tags: new PwgNamedArray(
          list.map((t) => ({
            id: t.id,
            name: t.name,
            url_name: tagUrlName(t.slug),
            lastmodified: mysqlDatetime(createdAt.get(t.id)),
            counter: t.photoCount,
            name_raw: t.name,
            url: shaper.urls.tag(t.slug),
          })),
          'tag',
          WS_TAG_XML_ATTRIBUTES,
        ),
      };
    },
  });

  const getAdminList = defineWsMethod({
    name: 'pwg.tags.getAdminList',
    description: 'Administration method only.',
    adminOnly: true,
    async handler() {
      const list = await tags.all();
      return {
        tags: new PwgNamedArray(
          list.map((t) => ({ id: idString(t.id), name: t.name, url_name: tagUrlName(t.slug), lastmodified: mysqlDatetime(t.createdAt), name_raw: t.name })),
          'tag',
          WS_TAG_XML_ATTRIBUTES,
        ),
      };
    },
  });

  const add = defineWsMethod({
    name: 'pwg.tags.add',
    description: 'Adds a new tag.',
    adminOnly: true,
    params: { name: {} },
    async handler({ name }) {
      const tag = await tags.create(name); // an existing tag → conflict → 1003 `Tag "x" already exists`
      return { info: `Tag "${tag.name}" was added`, id: tag.id, name: tag.name, url_name: tagUrlName(tag.slug) };
    },
  });

  const getImages = defineWsMethod({
    name: 'pwg.tags.getImages',
    description: 'Returns elements for the corresponding tags. Fill at least tag_id, tag_url_name or tag_name.',
    params: {
      tag_id: { type: 'id', array: 'force', default: null },
      tag_url_name: { array: 'force', default: null },
      tag_name: { array: 'force', default: null },
      tag_mode_and: { type: 'bool', default: false },
      per_page: { type: 'int_positive', default: 100, maxValue: 500 },
      page: { type: 'int_positive', default: 0 },
      order: { default: null, info: 'id, file, name, hit, rating_score, date_creation, date_available, random' },
    },
    async handler(params, ctx) {
      const scope = await visibility.scopeFor(wsPrincipal(ctx));
      const ids = params.tag_id.filter((v): v is number => typeof v === 'number');
      const slugs = params.tag_url_name.filter((v): v is string => typeof v === 'string' && v !== '').map((v) => v.replaceAll('_', '-'));
      const names = params.tag_name.filter((v): v is string => typeof v === 'string' && v !== '');
      const found: { id: number; slug: string }[] =
        ids.length + slugs.length + names.length === 0
          ? []
          : await dataSource.query(
              `SELECT id, slug FROM tags WHERE id = ANY($1::int[]) OR slug = ANY($2::text[]) OR lower(name) = ANY($3::text[]) ORDER BY id`,
              [ids, slugs, names.map((n) => n.toLowerCase())],
            );
      const perPage = typeof params.per_page === 'number' ? params.per_page : 100;
      const page = typeof params.page === 'number' ? params.page : 0;
      const andMode = params.tag_mode_and === true;
      const tagIds = found.map((t) => t.id);
      const { rows, total } = await queryWsImagePage(dataSource.manager, scope, { tagIds, tagModeAnd: andMode }, wsImageOrder(params.order), perPage, page);
      const carried: { photo_id: number; tag_id: number }[] = rows.length
        ? await dataSource.query(`SELECT photo_id, tag_id FROM photo_tags WHERE photo_id = ANY($1::int[]) AND tag_id = ANY($2::int[]) ORDER BY photo_id, tag_id`, [
            rows.map((r) => r.id),
            tagIds,
          ])
        : [];
      const slugOf = new Map(found.map((t) => [t.id, t.slug]));
      const images = rows.map((row, rank) => {
        const { categories: _omitted, ...image } = shaper.image(row, []) as Record<string, WsValue>;
        const own = andMode ? tagIds : carried.filter((c) => c.photo_id === row.id).map((c) => c.tag_id);
        return {
          rank,
          ...image,
          tags: new PwgNamedArray(
            own.map((id) => ({ id, url: shaper.urls.tag(slugOf.get(id)!), page_url: shaper.urls.photo(row.id) })),
            'tag',
            WS_TAG_XML_ATTRIBUTES,
          ),
        };
      });
      return {
        paging: new PwgNamedStruct({ page, per_page: perPage, count: rows.length, total_count: total }),
        images: new PwgNamedArray(images, 'image', WS_IMAGE_XML_ATTRIBUTES),
      };
    },
  });

  return [getList, getAdminList, add, getImages];
}
