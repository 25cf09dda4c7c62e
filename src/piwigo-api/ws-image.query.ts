import type { EntityManager } from 'typeorm';
import type { AccessScope } from '../access/access-scope.js';
import { ParamBag } from '../database/param-bag.js';

/** The photo columns ws.php answers (snake_case, as selected). */
export interface WsImageRow {
  id: number;
  width: number | null;
  height: number | null;
  original_name: string;
  title: string | null;
  description: string | null;
  author: string | null;
  taken_at: Date | string | null;
  created_at: Date | string;
  privacy_level: number;
  file_size: string | number | null;
  md5: string | null;
  rating: number | null;
  latitude: number | null;
  longitude: number | null;
}

/** Which photos a list shows, before the visibility scope is applied. */
export interface WsImageFilter {
  /** Albums (already filtered to the visible ones by the caller); undefined = every album. */
  albumIds?: readonly number[];
  /** With albumIds: also the photos of the albums' visible descendants. */
  recursive?: boolean;
  /** Tags: photos carrying any of them (or all of them with `tagModeAnd`). */
  tagIds?: readonly number[];
  tagModeAnd?: boolean;
}

export const WS_IMAGE_COLUMNS = `p.id, p.width, p.height, p.original_name, p.title, p.description, p.author, p.taken_at, p.created_at,
  p.privacy_level, p.file_size, p.md5, p.rating, p.latitude, p.longitude`;

/** Piwigo's sortable fields (`ws_std_image_sql_order`) → fixed SQL; nothing from input reaches SQL. */
const ORDER_FIELDS: Record<string, string> = {
  id: 'p.id',
  file: 'p.original_name',
  name: `COALESCE(NULLIF(p.title, ''), p.original_name)`,
  hit: 'p.id',
  rating_score: 'p.rating',
  date_creation: 'p.taken_at',
  date_available: 'p.created_at',
  random: 'random()',
};
/** `$conf['order_by']`: date_available DESC, file ASC, id ASC. */
const DEFAULT_ORDER = 'p.created_at DESC, p.original_name ASC, p.id ASC';

/**
 * Piwigo's `order` param (`"date_creation desc, id"`…) as SQL. Unknown parts are ignored as Piwigo
 * ignores them; `p.id` always ends the list so pages are stable.
 */
export function wsImageOrder(order: unknown): string {
  if (typeof order !== 'string' || order.trim() === '') return DEFAULT_ORDER;
  const parts: string[] = [];
  for (const raw of order.split(',')) {
    const m = /^\s*([a-z_]+)(?:\s+(asc|desc))?\s*$/i.exec(raw);
    const field = m ? ORDER_FIELDS[m[1]!.toLowerCase()] : undefined;
    if (!field) continue;
    parts.push(field === 'random()' ? field : `${field} ${m![2]?.toUpperCase() === 'DESC' ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`);
  }
  if (parts.length === 0) return DEFAULT_ORDER;
  return parts.some((p) => p.startsWith('p.id ')) ? parts.join(', ') : `${parts.join(', ')}, p.id ASC`;
}

/**
 * One page of photos under an {@link AccessScope} (the same filter as the REST API and the site),
 * in one query; the total comes from a window count (a second query only for a page past the end).
 */
export async function queryWsImagePage(
  em: EntityManager,
  scope: AccessScope,
  filter: WsImageFilter,
  order: string,
  perPage: number,
  page: number,
): Promise<{ rows: WsImageRow[]; total: number }> {
  const p = new ParamBag();
  // Photos waiting in the ws.php lounge are in no album yet for Piwigo, administrators included.
  const where: string[] = [`p.status <> 'lounge'`];
  const albums = filter.albumIds;
  if (albums !== undefined) {
    if (albums.length === 0) return { rows: [], total: 0 };
    if (filter.recursive) {
      where.push(scope.photoWhere('p', p));
      where.push(
        `EXISTS (SELECT 1 FROM album_photos fap JOIN album_closure fc ON fc.descendant_id = fap.album_id JOIN albums fa ON fa.id = fc.descendant_id
           WHERE fap.photo_id = p.id AND fc.ancestor_id = ANY(${p.add(albums)}::int[]) AND ${scope.albumWhere('fa', p)})`,
      );
    } else {
      // The cheap form when the albums are known visible: only level and status remain to check.
      where.push(albums.length === 1 ? scope.photoWhereInAlbum('p', albums[0]!, p) : scope.photoWhere('p', p));
      where.push(`EXISTS (SELECT 1 FROM album_photos fap WHERE fap.photo_id = p.id AND fap.album_id = ANY(${p.add(albums)}::int[]))`);
    }
  } else {
    where.push(scope.photoWhere('p', p));
  }
  // Piwigo: lounge photos are in no album until uploadCompleted, for administrators too (golden 20).
  where.push(`p.status = 'ready'`);
  if (filter.tagIds !== undefined) {
    if (filter.tagIds.length === 0) return { rows: [], total: 0 };
    const tags = p.add(filter.tagIds);
    where.push(
      filter.tagModeAnd
        ? `(SELECT count(DISTINCT ft.tag_id) FROM photo_tags ft WHERE ft.photo_id = p.id AND ft.tag_id = ANY(${tags}::int[])) = cardinality(${tags}::int[])`
        : `EXISTS (SELECT 1 FROM photo_tags ft WHERE ft.photo_id = p.id AND ft.tag_id = ANY(${tags}::int[]))`,
    );
  }
  const sql = `SELECT ${WS_IMAGE_COLUMNS}, count(*) OVER () AS total_count FROM photos p WHERE ${where.join(' AND ')}
    ORDER BY ${order} LIMIT ${p.add(perPage)} OFFSET ${p.add(perPage * page)}`;
  const rows: Array<WsImageRow & { total_count: string | number }> = await em.query(sql, p.values);
  if (rows.length > 0) return { rows, total: Number(rows[0]!.total_count) };
  if (page === 0) return { rows: [], total: 0 };
  const count: { n: string | number }[] = await em.query(`SELECT count(*) AS n FROM photos p WHERE ${where.join(' AND ')}`, p.values.slice(0, -2));
  return { rows: [], total: Number(count[0]?.n ?? 0) };
}

/** The visible albums of each photo (one query), by photo id, for the `categories` of each image. */
export async function queryWsImageAlbums(
  em: EntityManager,
  scope: AccessScope,
  photoIds: readonly number[],
): Promise<Map<number, Array<{ id: number; slug: string }>>> {
  const out = new Map<number, Array<{ id: number; slug: string }>>();
  if (photoIds.length === 0) return out;
  const p = new ParamBag();
  const rows: { photo_id: number; id: number; slug: string }[] = await em.query(
    `SELECT ap.photo_id, a.id, a.slug FROM album_photos ap JOIN albums a ON a.id = ap.album_id
     WHERE ap.photo_id = ANY(${p.add(photoIds)}::int[]) AND ${scope.albumWhere('a', p)} ORDER BY ap.photo_id, a.id`,
    p.values,
  );
  for (const r of rows) {
    const list = out.get(r.photo_id);
    if (list) list.push({ id: r.id, slug: r.slug });
    else out.set(r.photo_id, [{ id: r.id, slug: r.slug }]);
  }
  return out;
}
