import type { EntityManager } from 'typeorm';
import type { AccessScope } from '../access/access-scope.js';
import { ParamBag } from '../database/param-bag.js';
import { photoCardColumns, type PhotoCardRow } from './photo-card.builder.js';

/** An album row as the site needs it. */
export interface SiteAlbumRow {
  id: number;
  parent_id: number | null;
  name: string;
  slug: string;
  description: string | null;
  updated_at: Date | string;
}

/** Visible counts and cover of one album card. */
export interface AlbumCardRow extends SiteAlbumRow {
  photos: number;
  total_photos: number;
  albums: number;
  cover: PhotoCardRow | null;
}

const ALBUM_COLUMNS = (a: string) => `${a}.id, ${a}.parent_id, ${a}.name, ${a}.slug, ${a}.description, ${a}.updated_at`;

/** Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Album reads of the public site. Every query composes the principal's {@link AccessScope}: a
 * private or hidden album is never returned, counted or used as a cover source.
 */
export class SiteAlbumRepository {
  constructor(private readonly em: EntityManager) {}

  /** The album if it exists *and* the scope sees it; otherwise null (missing and private look alike). */
  async findVisible(id: number, scope: AccessScope): Promise<SiteAlbumRow | null> {
    if (!scope.canSeeAlbum(id)) return null;
    const rows: SiteAlbumRow[] = await this.em.query(`SELECT ${ALBUM_COLUMNS('a')} FROM albums a WHERE a.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Visible ancestors, top first, without the album itself. */
  async visibleAncestors(id: number, scope: AccessScope): Promise<SiteAlbumRow[]> {
    const rows: SiteAlbumRow[] = await this.em.query(
      `SELECT ${ALBUM_COLUMNS('a')} FROM album_closure c JOIN albums a ON a.id = c.ancestor_id
       WHERE c.descendant_id = $1 AND c.depth > 0 ORDER BY c.depth DESC`,
      [id],
    );
    return rows.filter((r) => scope.canSeeAlbum(r.id));
  }

  /** Visible direct children of an album (null: the top level), in their order. */
  async visibleChildren(parentId: number | null, scope: AccessScope): Promise<SiteAlbumRow[]> {
    const p = new ParamBag();
    const parent = parentId === null ? 'a.parent_id IS NULL' : `a.parent_id = ${p.add(parentId)}`;
    return this.em.query(`SELECT ${ALBUM_COLUMNS('a')} FROM albums a WHERE ${parent} AND ${scope.albumWhere('a', p)} ORDER BY a.position, a.id`, p.values);
  }

  /**
   * Cards for visible albums: counts of what the scope sees (direct photos, distinct photos in
   * visible descendants, visible sub-albums) and a cover taken from visible photos of visible
   * albums in the subtree (the representative photo first). Input order is kept.
   */
  async cards(albums: SiteAlbumRow[], scope: AccessScope): Promise<AlbumCardRow[]> {
    if (albums.length === 0) return [];
    const p = new ParamBag();
    const ids = p.add(albums.map((a) => a.id));
    const rows: (Omit<AlbumCardRow, keyof SiteAlbumRow | 'cover'> & { id: number; cover_id: number | null } & Record<string, unknown>)[] = await this.em.query(
      `SELECT a.id,
         (SELECT count(*)::int FROM album_photos ap JOIN photos p ON p.id = ap.photo_id
            WHERE ap.album_id = a.id AND ${scope.photoWhere('p', p)}) AS photos,
         (SELECT count(DISTINCT ap.photo_id)::int FROM album_closure c JOIN albums d ON d.id = c.descendant_id
            JOIN album_photos ap ON ap.album_id = d.id JOIN photos p ON p.id = ap.photo_id
            WHERE c.ancestor_id = a.id AND ${scope.albumWhere('d', p)} AND ${scope.photoWhere('p', p)}) AS total_photos,
         (SELECT count(*)::int FROM albums ch WHERE ch.parent_id = a.id AND ${scope.albumWhere('ch', p)}) AS albums,
         cover.id AS cover_id, cover.title AS cover_title, cover.description AS cover_description, cover.width AS cover_width,
         cover.height AS cover_height, cover.blur_placeholder AS cover_blur_placeholder, cover.taken_at AS cover_taken_at
       FROM albums a
       LEFT JOIN LATERAL (
         SELECT ${photoCardColumns('p')} FROM album_closure c JOIN albums d ON d.id = c.descendant_id
           JOIN album_photos ap ON ap.album_id = d.id JOIN photos p ON p.id = ap.photo_id
         WHERE c.ancestor_id = a.id AND ${scope.albumWhere('d', p)} AND ${scope.photoWhere('p', p)}
         ORDER BY (p.id = a.representative_photo_id) DESC NULLS LAST, c.depth, ap.rank, p.id
         LIMIT 1) cover ON TRUE
       WHERE a.id = ANY(${ids}::int[])`,
      p.values,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return albums.map((album) => {
      const r = byId.get(album.id)!;
      const cover: PhotoCardRow | null =
        r.cover_id === null
          ? null
          : {
              id: r.cover_id,
              title: r.cover_title as string | null,
              description: r.cover_description as string | null,
              width: r.cover_width as number | null,
              height: r.cover_height as number | null,
              blur_placeholder: r.cover_blur_placeholder as string | null,
              taken_at: r.cover_taken_at as Date | null,
            };
      return { ...album, photos: r.photos, total_photos: r.total_photos, albums: r.albums, cover };
    });
  }

  /** One page of the album's visible photos, sorted by an allowlisted ORDER BY. */
  photos(albumId: number, scope: AccessScope, orderBy: string, limit: number, offset: number): Promise<PhotoCardRow[]> {
    const p = new ParamBag();
    return this.em.query(
      `SELECT ${photoCardColumns('p')} FROM album_photos ap JOIN photos p ON p.id = ap.photo_id
       WHERE ap.album_id = ${p.add(albumId)} AND ${scope.photoWhereInAlbum('p', albumId, p)}
       ORDER BY ${orderBy} LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
  }

  /** Number of visible photos in the album and the dates they span. */
  async photoStats(albumId: number, scope: AccessScope): Promise<{ total: number; from: Date | null; to: Date | null }> {
    const p = new ParamBag();
    const rows: { total: number; from: Date | null; to: Date | null }[] = await this.em.query(
      `SELECT count(*)::int AS total, min(p.taken_at) AS "from", max(p.taken_at) AS "to"
       FROM album_photos ap JOIN photos p ON p.id = ap.photo_id
       WHERE ap.album_id = ${p.add(albumId)} AND ${scope.photoWhereInAlbum('p', albumId, p)}`,
      p.values,
    );
    return rows[0] ?? { total: 0, from: null, to: null };
  }

  /** Visible albums whose name contains `query` (case-insensitive, wildcards escaped). */
  search(query: string, scope: AccessScope, limit: number): Promise<SiteAlbumRow[]> {
    const p = new ParamBag();
    return this.em.query(
      `SELECT ${ALBUM_COLUMNS('a')} FROM albums a
       WHERE a.name ILIKE ${p.add(likeContains(query))} ESCAPE '\\' AND ${scope.albumWhere('a', p)}
       ORDER BY a.depth, a.position, a.id LIMIT ${p.add(limit)}`,
      p.values,
    );
  }

  /** Every visible album (sitemap). */
  allVisible(scope: AccessScope, limit: number): Promise<SiteAlbumRow[]> {
    const p = new ParamBag();
    return this.em.query(`SELECT ${ALBUM_COLUMNS('a')} FROM albums a WHERE ${scope.albumWhere('a', p)} ORDER BY a.id LIMIT ${p.add(limit)}`, p.values);
  }
}
