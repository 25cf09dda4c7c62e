import type { DataSource } from 'typeorm';
import type { VisibilityService } from '../../access/visibility.service.js';
import { ParamBag } from '../../database/param-bag.js';
import { defineWsMethod, PwgNamedArray, PwgNamedStruct, WsError, type WsMethodDefinition, type WsValue } from '../../piwigo/index.js';
import { wsPrincipal } from '../ws-context.factory.js';
import { idString, mysqlDatetime } from '../ws-format.js';
import { queryWsImageAlbums, queryWsImagePage, wsImageOrder } from '../ws-image.query.js';
import { WS_CATEGORY_XML_ATTRIBUTES, WS_IMAGE_XML_ATTRIBUTES, type WsImageShaper } from '../ws-image.shaper.js';

/** `$conf['order_by']` as Piwigo reports it in `image_order`. */
const IMAGE_ORDER = 'date_available DESC, file ASC, id ASC';

interface AlbumListRow {
  id: number;
  name: string;
  description: string | null;
  status: string;
  parent_id: number | null;
  slug: string;
  uppercats: string;
  global_rank: string;
  nb_images: number;
  total_nb_images: number;
  nb_categories: number;
  date_last: Date | string | null;
  max_date_last: Date | string | null;
  rep_id: number | null;
  rep_width: number | null;
  rep_height: number | null;
  fullname: string;
}

export interface CategoryReadDeps {
  dataSource: DataSource;
  visibility: VisibilityService;
  shaper: WsImageShaper;
}

/**
 * `pwg.categories.getList` and `pwg.categories.getImages`: every album, count and photo through
 * the principal's `AccessScope` (counts are computed for the principal, never the global caches).
 */
export function categoryReadWsMethods({ dataSource, visibility, shaper }: CategoryReadDeps): WsMethodDefinition[] {
  const getList = defineWsMethod({
    name: 'pwg.categories.getList',
    description: 'Returns a list of categories.',
    params: {
      cat_id: { type: 'int_positive', default: null, info: 'Parent category. "0" or empty for root.' },
      recursive: { type: 'bool', default: false },
      public: { type: 'bool', default: false },
      tree_output: { type: 'bool', default: false },
      fullname: { type: 'bool', default: false },
      thumbnail_size: { default: 'thumb' },
      search: { default: null },
      limit: { type: 'int_positive', default: null },
    },
    async handler(params, ctx) {
      if (params.recursive === true && params.limit) return new WsError(1003, 'Cannot use both recursive and limit parameters at the same time');
      const scope = await visibility.scopeFor(wsPrincipal(ctx));
      const p = new ParamBag();
      // Lounge photos count for nobody until uploadCompleted (Piwigo links them only then).
      const photoVisible = `(p.status <> 'lounge' AND ${scope.photoWhere('p', p)})`;
      const where = [scope.albumWhere('a', p)];
      const catId = typeof params.cat_id === 'number' && params.cat_id > 0 ? params.cat_id : null;
      if (params.recursive === true) {
        if (catId !== null) where.push(`a.id IN (SELECT descendant_id FROM album_closure WHERE ancestor_id = ${p.add(catId)})`);
      } else {
        where.push(catId === null ? 'a.parent_id IS NULL' : `(a.parent_id = ${p.add(catId)} OR a.id = ${p.add(catId)})`);
      }
      if (params.public === true) where.push(`a.status = 'public'`);
      if (typeof params.search === 'string' && params.search !== '') {
        where.push(`a.name ILIKE ${p.add(`%${params.search.slice(0, 200).replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`);
      }
      const limit = typeof params.limit === 'number' && params.limit > 0 ? `LIMIT ${p.add(params.limit)}` : '';
      const rows: AlbumListRow[] = await dataSource.query(
        `SELECT a.id, a.name, a.description, a.status, a.parent_id, a.slug, path.uppercats, path.global_rank, path.fullname,
           (SELECT count(*) FROM album_photos ap JOIN photos p ON p.id = ap.photo_id WHERE ap.album_id = a.id AND ${photoVisible})::int AS nb_images,
           (SELECT count(DISTINCT ap.photo_id) FROM album_closure c JOIN albums d ON d.id = c.descendant_id JOIN album_photos ap ON ap.album_id = d.id
              JOIN photos p ON p.id = ap.photo_id WHERE c.ancestor_id = a.id AND ${scope.albumWhere('d', p)} AND ${photoVisible})::int AS total_nb_images,
           (SELECT count(*) FROM album_closure c JOIN albums d ON d.id = c.descendant_id
              WHERE c.ancestor_id = a.id AND c.depth > 0 AND ${scope.albumWhere('d', p)})::int AS nb_categories,
           (SELECT max(ap.added_at) FROM album_photos ap JOIN photos p ON p.id = ap.photo_id WHERE ap.album_id = a.id AND ${photoVisible}) AS date_last,
           (SELECT max(ap.added_at) FROM album_closure c JOIN albums d ON d.id = c.descendant_id JOIN album_photos ap ON ap.album_id = d.id
              JOIN photos p ON p.id = ap.photo_id WHERE c.ancestor_id = a.id AND ${scope.albumWhere('d', p)} AND ${photoVisible}) AS max_date_last,
           rep.id AS rep_id, rep.width AS rep_width, rep.height AS rep_height
         FROM albums a
         CROSS JOIN LATERAL (
           SELECT string_agg(x.id::text, ',' ORDER BY x.depth) AS uppercats,
                  string_agg((x.position + 1)::text, '.' ORDER BY x.depth) AS global_rank,
                  string_agg(x.name, ' / ' ORDER BY x.depth) AS fullname,
                  array_agg(x.position ORDER BY x.depth) AS rank_path
           FROM album_closure c JOIN albums x ON x.id = c.ancestor_id WHERE c.descendant_id = a.id) path
         LEFT JOIN LATERAL (SELECT p.id, p.width, p.height FROM photos p WHERE p.id = a.representative_photo_id AND ${photoVisible}) rep ON TRUE
         WHERE ${where.join(' AND ')}
         ORDER BY path.rank_path, a.id ${limit}`,
        p.values,
      );
      const thumbSize = typeof params.thumbnail_size === 'string' && params.thumbnail_size !== '' ? params.thumbnail_size : 'thumb';
      const categories = rows.map((r): Row => {
        const cat: Row = {
          id: r.id,
          name: params.fullname === true ? r.fullname : r.name,
          comment: r.description ?? '',
          permalink: null,
          status: r.status,
          uppercats: r.uppercats,
          global_rank: r.global_rank,
          id_uppercat: idString(r.parent_id),
          nb_images: r.nb_images,
          total_nb_images: r.total_nb_images,
          representative_picture_id: idString(r.rep_id),
          date_last: mysqlDatetime(r.date_last),
          max_date_last: mysqlDatetime(r.max_date_last),
          nb_categories: r.nb_categories,
          image_order: IMAGE_ORDER,
          url: shaper.urls.album(r.id, r.slug),
          name_raw: r.name,
          comment_raw: r.description,
        };
        if (r.rep_id !== null) cat['tn_url'] = shaper.urls.media(r.rep_id, thumbSize);
        return cat;
      });
      if (params.tree_output === true) return new PwgNamedArray(toTree(categories), 'category', WS_CATEGORY_XML_ATTRIBUTES);
      return { categories: new PwgNamedArray(categories, 'category', WS_CATEGORY_XML_ATTRIBUTES) };
    },
  });

  const getImages = defineWsMethod({
    name: 'pwg.categories.getImages',
    description: 'Returns elements for the corresponding categories.',
    params: {
      cat_id: { type: 'int_positive', array: 'force', default: null },
      recursive: { type: 'bool', default: false },
      per_page: { type: 'int_positive', default: 100, maxValue: 500 },
      page: { type: 'int_positive', default: 0 },
      order: { default: null, info: 'id, file, name, hit, rating_score, date_creation, date_available, random' },
    },
    async handler(params, ctx) {
      const scope = await visibility.scopeFor(wsPrincipal(ctx));
      const requested = [...new Set(params.cat_id.filter((id): id is number => typeof id === 'number' && id > 0))];
      const perPage = typeof params.per_page === 'number' ? params.per_page : 100;
      const page = typeof params.page === 'number' ? params.page : 0;
      const em = dataSource.manager;
      const { rows, total } = await queryWsImagePage(
        em,
        scope,
        { albumIds: requested.length ? requested.filter((id) => scope.canSeeAlbum(id)) : undefined, recursive: params.recursive === true },
        wsImageOrder(params.order),
        perPage,
        page,
      );
      const albums = await queryWsImageAlbums(
        em,
        scope,
        rows.map((r) => r.id),
      );
      return {
        paging: new PwgNamedStruct({ page, per_page: perPage, count: rows.length, total_count: total }),
        images: new PwgNamedArray(
          rows.map((r) => shaper.image(r, albums.get(r.id) ?? [])),
          'image',
          WS_IMAGE_XML_ATTRIBUTES,
        ),
      };
    },
  });

  return [getList, getImages];
}

/** Piwigo's `categories_flatlist_to_tree`: children under `sub_categories`, in list order. */
function toTree(categories: Row[]): Row[] {
  const byId = new Map<string, Row>();
  const children = new Map<Row, Row[]>();
  for (const c of categories) byId.set(String(c['id']), c);
  const roots: Row[] = [];
  for (const c of categories) {
    const parent = c['id_uppercat'] === null ? undefined : byId.get(String(c['id_uppercat']));
    if (parent) children.set(parent, [...(children.get(parent) ?? []), c]);
    else roots.push(c);
  }
  for (const [parent, list] of children) parent['sub_categories'] = new PwgNamedArray(list, 'category', WS_CATEGORY_XML_ATTRIBUTES);
  return roots;
}

type Row = Record<string, WsValue>;
