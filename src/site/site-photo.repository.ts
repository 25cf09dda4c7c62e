import type { EntityManager } from 'typeorm';
import type { AccessScope } from '../access/access-scope.js';
import { ParamBag } from '../database/param-bag.js';
import { photoCardColumns, type PhotoCardRow } from './photo-card.builder.js';
import { likeContains } from './site-album.repository.js';
import { pluginFieldSql, type SearchableField } from '../photos/photo-query.repository.js';

/** A photo with the fields of the photo page. */
export interface PhotoPageRow extends PhotoCardRow {
  author: string | null;
  copyright: string | null;
  latitude: number | null;
  longitude: number | null;
  camera_make: string | null;
  camera_model: string | null;
  lens: string | null;
  iso: number | null;
  exposure_time: number | null;
  f_number: number | null;
  focal_length: number | null;
  storage_album_id: number | null;
  updated_at: Date | string;
}

/** A photo's neighbour in an album, with its 1-based position. */
export interface NeighbourRow extends PhotoCardRow {
  n: number;
  total: number;
}

export interface TagRow {
  id: number;
  name: string;
  slug: string;
  count: number | null;
}

/**
 * Photo and tag reads of the public site. Every query composes the principal's
 * {@link AccessScope}; a tag that only private photos carry is never found.
 */
export class SitePhotoRepository {
  constructor(
    private readonly em: EntityManager,
    /** Plugin metadata fields search also matches (public, `searchable` ones). */
    private readonly searchable: readonly SearchableField[] = [],
  ) {}

  /** The photo if the scope sees it, else null. */
  async findVisible(id: number, scope: AccessScope): Promise<PhotoPageRow | null> {
    const p = new ParamBag();
    const rows: PhotoPageRow[] = await this.em.query(
      `SELECT ${photoCardColumns('p')}, p.author, p.copyright, p.latitude, p.longitude, p.camera_make, p.camera_model, p.lens,
              p.iso, p.exposure_time, p.f_number, p.focal_length, p.storage_album_id, p.updated_at
       FROM photos p WHERE p.id = ${p.add(id)} AND ${scope.photoWhere('p', p)}`,
      p.values,
    );
    return rows[0] ?? null;
  }

  /** Ids of the albums holding the photo (storage album first); the caller keeps the visible ones. */
  async albumIdsOf(photoId: number): Promise<number[]> {
    const rows: { album_id: number }[] = await this.em.query(
      `SELECT ap.album_id FROM album_photos ap JOIN photos p ON p.id = ap.photo_id
       WHERE ap.photo_id = $1 ORDER BY (ap.album_id = p.storage_album_id) DESC NULLS LAST, ap.album_id`,
      [photoId],
    );
    return rows.map((r) => r.album_id);
  }

  /** The photo and its neighbours in the album's manual order, among visible photos. */
  neighbours(albumId: number, photoId: number, scope: AccessScope): Promise<NeighbourRow[]> {
    const p = new ParamBag();
    const pid = p.add(photoId);
    return this.em.query(
      `WITH ordered AS (
         SELECT ${photoCardColumns('p')}, (row_number() OVER (ORDER BY ap.rank, p.id))::int AS n, (count(*) OVER ())::int AS total
         FROM album_photos ap JOIN photos p ON p.id = ap.photo_id
         WHERE ap.album_id = ${p.add(albumId)} AND ${scope.photoWhereInAlbum('p', albumId, p)})
       SELECT o.* FROM ordered o, (SELECT n FROM ordered WHERE id = ${pid}) me
       WHERE o.n BETWEEN me.n - 1 AND me.n + 1 ORDER BY o.n`,
      p.values,
    );
  }

  /** Tags of a (visible) photo. */
  tagsOf(photoId: number): Promise<TagRow[]> {
    return this.em.query(
      `SELECT t.id, t.name, t.slug, NULL::int AS count FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id
       WHERE pt.photo_id = $1 ORDER BY lower(t.name), t.id`,
      [photoId],
    );
  }

  /** Most recently added visible photos. */
  recent(scope: AccessScope, limit: number): Promise<PhotoCardRow[]> {
    const p = new ParamBag();
    return this.em.query(
      `SELECT ${photoCardColumns('p')} FROM photos p WHERE ${scope.photoWhere('p', p)}
       ORDER BY p.created_at DESC, p.id DESC LIMIT ${p.add(limit)}`,
      p.values,
    );
  }

  /** The tag with this slug, with the number of visible photos carrying it (0: treat as missing). */
  async tagBySlug(slug: string, scope: AccessScope): Promise<TagRow | null> {
    const p = new ParamBag();
    const rows: TagRow[] = await this.em.query(
      `SELECT t.id, t.name, t.slug,
         (SELECT count(*)::int FROM photo_tags pt JOIN photos p ON p.id = pt.photo_id WHERE pt.tag_id = t.id AND ${scope.photoWhere('p', p)}) AS count
       FROM tags t WHERE t.slug = ${p.add(slug)}`,
      p.values,
    );
    return rows[0] ?? null;
  }

  /** The slug of tag `id` if a photo the scope sees carries it, else null (missing and hidden look alike). */
  async visibleTagSlug(id: number, scope: AccessScope): Promise<string | null> {
    const p = new ParamBag();
    const rows: { slug: string }[] = await this.em.query(
      `SELECT t.slug FROM tags t WHERE t.id = ${p.add(id)}
         AND EXISTS (SELECT 1 FROM photo_tags pt JOIN photos p ON p.id = pt.photo_id WHERE pt.tag_id = t.id AND ${scope.photoWhere('p', p)})`,
      p.values,
    );
    return rows[0]?.slug ?? null;
  }

  /** One page of visible photos carrying the tag. */
  tagPhotos(tagId: number, scope: AccessScope, orderBy: string, limit: number, offset: number): Promise<PhotoCardRow[]> {
    const p = new ParamBag();
    return this.em.query(
      `SELECT ${photoCardColumns('p')} FROM photo_tags pt JOIN photos p ON p.id = pt.photo_id
       WHERE pt.tag_id = ${p.add(tagId)} AND ${scope.photoWhere('p', p)}
       ORDER BY ${orderBy} LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
  }

  /** Tags whose name contains `query` and that visible photos carry, with those counts. */
  searchTags(query: string, scope: AccessScope, limit: number): Promise<TagRow[]> {
    const p = new ParamBag();
    return this.em.query(
      `SELECT t.id, t.name, t.slug, count(*)::int AS count FROM tags t JOIN photo_tags pt ON pt.tag_id = t.id JOIN photos p ON p.id = pt.photo_id
       WHERE t.name ILIKE ${p.add(likeContains(query))} ESCAPE '\\' AND ${scope.photoWhere('p', p)}
       GROUP BY t.id, t.name, t.slug ORDER BY count(*) DESC, lower(t.name) LIMIT ${p.add(limit)}`,
      p.values,
    );
  }

  /** Visible photos matching `query` in title, description or a tag name: one page and the total. */
  async searchPhotos(query: string, scope: AccessScope, limit: number, offset: number): Promise<{ rows: PhotoCardRow[]; total: number }> {
    const p = new ParamBag();
    const pattern = p.add(likeContains(query));
    const where = `(p.title ILIKE ${pattern} ESCAPE '\\' OR p.description ILIKE ${pattern} ESCAPE '\\'
       OR EXISTS (SELECT 1 FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.photo_id = p.id AND t.name ILIKE ${pattern} ESCAPE '\\')
       ${this.searchable.map((f) => `OR ${pluginFieldSql('p', f, p)} ILIKE ${pattern} ESCAPE '\\'`).join(' ')})
       AND ${scope.photoWhere('p', p)}`;
    const [count]: { total: number }[] = await this.em.query(`SELECT count(*)::int AS total FROM photos p WHERE ${where}`, p.values);
    const rows: PhotoCardRow[] = await this.em.query(
      `SELECT ${photoCardColumns('p')} FROM photos p WHERE ${where}
       ORDER BY p.taken_at DESC NULLS LAST, p.id DESC LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    return { rows, total: count?.total ?? 0 };
  }

  /** One page of every photo the scope sees (selection share links), oldest first, and the total. */
  async visiblePage(scope: AccessScope, limit: number, offset: number): Promise<{ rows: PhotoCardRow[]; total: number }> {
    const p = new ParamBag();
    const where = scope.photoWhere('p', p);
    const [count]: { total: number }[] = await this.em.query(`SELECT count(*)::int AS total FROM photos p WHERE ${where}`, p.values);
    const rows: PhotoCardRow[] = await this.em.query(
      `SELECT ${photoCardColumns('p')} FROM photos p WHERE ${where} ORDER BY p.taken_at ASC NULLS LAST, p.id
       LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    return { rows, total: count?.total ?? 0 };
  }

  /** Visible photos (sitemap). */
  allVisible(scope: AccessScope, limit: number): Promise<{ id: number; updated_at: Date | string }[]> {
    const p = new ParamBag();
    return this.em.query(`SELECT p.id, p.updated_at FROM photos p WHERE ${scope.photoWhere('p', p)} ORDER BY p.id LIMIT ${p.add(limit)}`, p.values);
  }

  /** Tags that visible photos carry (sitemap). */
  visibleTags(scope: AccessScope, limit: number): Promise<{ slug: string }[]> {
    const p = new ParamBag();
    return this.em.query(
      `SELECT t.slug FROM tags t WHERE EXISTS (SELECT 1 FROM photo_tags pt JOIN photos p ON p.id = pt.photo_id WHERE pt.tag_id = t.id AND ${scope.photoWhere('p', p)})
       ORDER BY t.slug LIMIT ${p.add(limit)}`,
      p.values,
    );
  }
}
