import type { EntityManager } from 'typeorm';
import type { AccessScope } from '../../access/access-scope.js';
import { ParamBag } from '../../database/param-bag.js';

/** One album as the API reads it, with counts as the principal may see them. */
export interface AlbumRow {
  id: number;
  parent_id: number | null;
  name: string;
  slug: string;
  description: string | null;
  position: number;
  status: 'public' | 'private';
  visible: boolean;
  depth: number;
  representative_photo_id: number | null;
  photo_count: number;
  child_count: number;
  descendant_count: number;
  total_photo_count: number;
  created_at: Date;
  updated_at: Date;
}

/**
 * Read queries on albums for the REST API, always composed with an {@link AccessScope}.
 *
 * Counts: for a scope that sees everything (administrators, editors) the cached columns are
 * returned as they are. For everybody else they are recomputed through the scope — photos at or
 * below the principal's privacy level in visible albums, visible sub-albums — so a private photo
 * or album never shows up as a number. The representative photo is returned only when visible.
 */
export class AlbumQueryRepository {
  constructor(private readonly em: EntityManager) {}

  /** Visible albums among `ids`, or the visible children of `parentId` (null: top level), in order. */
  async children(scope: AccessScope, parentId: number | null): Promise<AlbumRow[]> {
    const p = new ParamBag();
    const where = parentId === null ? 'a.parent_id IS NULL' : `a.parent_id = ${p.add(parentId)}`;
    return this.select(scope, p, `${where} AND ${scope.albumWhere('a', p)}`, 'a.position, a.id');
  }

  /**
   * Whether the album exists and is visible, without its row. The scope already holds the visible
   * album ids (read at the current access epoch), so only scopes that see every album query, for
   * existence. Use it for existence checks: {@link byId} computes the scoped counts, which made a
   * photo-list request several times dearer than its photo query.
   */
  async isVisible(scope: AccessScope, id: number): Promise<boolean> {
    if (scope.albumIds !== null) return scope.canSeeAlbum(id);
    const rows: unknown[] = await this.em.query(`SELECT 1 FROM albums WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  async byId(scope: AccessScope, id: number): Promise<AlbumRow | null> {
    const p = new ParamBag();
    const rows = await this.select(scope, p, `a.id = ${p.add(id)} AND ${scope.albumWhere('a', p)}`, 'a.id');
    return rows[0] ?? null;
  }

  /** Visible ancestors of an album, from the top level down to the parent. */
  async breadcrumbs(scope: AccessScope, id: number): Promise<{ id: number; name: string; slug: string }[]> {
    const p = new ParamBag();
    return this.em.query(
      `SELECT a.id, a.name, a.slug FROM album_closure c JOIN albums a ON a.id = c.ancestor_id
       WHERE c.descendant_id = ${p.add(id)} AND c.depth > 0 AND ${scope.albumWhere('a', p)}
       ORDER BY c.depth DESC`,
      p.values,
    );
  }

  /** Visible albums whose name or description matches (ILIKE pattern already escaped). */
  async search(scope: AccessScope, pattern: string, limit: number): Promise<AlbumRow[]> {
    const p = new ParamBag();
    const q = p.add(pattern);
    return this.select(scope, p, `(a.name ILIKE ${q} ESCAPE '\\' OR a.description ILIKE ${q} ESCAPE '\\') AND ${scope.albumWhere('a', p)}`, 'a.depth, a.position, a.id', limit);
  }

  private select(scope: AccessScope, p: ParamBag, where: string, order: string, limit = 10_000): Promise<AlbumRow[]> {
    const counts = scope.seesEverything
      ? 'a.representative_photo_id, a.photo_count, a.child_count, a.descendant_count, a.total_photo_count'
      : this.scopedCounts(scope, p);
    return this.em.query(
      `SELECT a.id, a.parent_id, a.name, a.slug, a.description, a.position, a.status, a.visible, a.depth,
              a.created_at, a.updated_at, ${counts}
       FROM albums a WHERE ${where} ORDER BY ${order} LIMIT ${p.add(limit)}`,
      p.values,
    );
  }

  private scopedCounts(scope: AccessScope, p: ParamBag): string {
    return `
      CASE WHEN EXISTS (SELECT 1 FROM photos rp WHERE rp.id = a.representative_photo_id AND ${scope.photoWhere('rp', p)})
           THEN a.representative_photo_id END AS representative_photo_id,
      (SELECT count(*)::int FROM album_photos ap JOIN photos p1 ON p1.id = ap.photo_id
        WHERE ap.album_id = a.id AND ${scope.photoWhere('p1', p)}) AS photo_count,
      (SELECT count(*)::int FROM albums c1 WHERE c1.parent_id = a.id AND ${scope.albumWhere('c1', p)}) AS child_count,
      (SELECT count(*)::int FROM album_closure cl2 JOIN albums d2 ON d2.id = cl2.descendant_id
        WHERE cl2.ancestor_id = a.id AND cl2.depth > 0 AND ${scope.albumWhere('d2', p)}) AS descendant_count,
      (SELECT count(DISTINCT ap3.photo_id)::int FROM album_closure cl3
        JOIN albums d3 ON d3.id = cl3.descendant_id
        JOIN album_photos ap3 ON ap3.album_id = d3.id
        JOIN photos p3 ON p3.id = ap3.photo_id
        WHERE cl3.ancestor_id = a.id AND ${scope.albumWhere('d3', p)} AND ${scope.photoWhere('p3', p)}) AS total_photo_count`;
  }
}
