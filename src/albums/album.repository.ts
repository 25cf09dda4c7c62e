import type { EntityManager } from 'typeorm';
import { Album, type AlbumTreeNode } from './album.entity.js';

/**
 * The columns a tree view needs, without the free text and timestamps: decoding those for every
 * row of a 1 000-album subtree cost more than the query itself (see bench:tree).
 */
const TREE_NODE_COLUMNS = `a.id, a.parent_id AS "parentId", a.name, a.slug, a.position, a.status, a.visible, a.depth,
  a.representative_photo_id AS "representativePhotoId", a.photo_count AS "photoCount", a.child_count AS "childCount",
  a.descendant_count AS "descendantCount", a.total_photo_count AS "totalPhotoCount"`;

/** Fields written when an album is created. */
export interface NewAlbumRow {
  parentId: number | null;
  name: string;
  slug: string;
  description: string | null;
  status: 'public' | 'private';
  visible: boolean;
  position: number;
  depth: number;
}

/**
 * All SQL about the album tree, its closure table, album–photo links and cached counts.
 * Bound to one EntityManager so that a service can run several calls in one transaction.
 */
export class AlbumRepository {
  constructor(private readonly em: EntityManager) {}

  findById(id: number): Promise<Album | null> {
    return this.em.findOneBy(Album, { id });
  }

  /** Locks the row for the rest of the transaction (moves and reorders). */
  async findByIdForUpdate(id: number): Promise<Album | null> {
    return (await this.lockForUpdate([id])).length ? this.findById(id) : null;
  }

  /**
   * Locks the rows of the albums that exist among `ids` for the rest of the transaction, in id
   * order (two transactions locking overlapping sets never deadlock); returns their ids.
   */
  async lockForUpdate(ids: number[]): Promise<number[]> {
    const rows: { id: number }[] = await this.em.query(`SELECT id FROM albums WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`, [ids]);
    return rows.map((r) => r.id);
  }

  children(parentId: number | null): Promise<Album[]> {
    return this.em
      .createQueryBuilder(Album, 'a')
      .where(parentId === null ? 'a.parent_id IS NULL' : 'a.parent_id = :parentId', { parentId })
      .orderBy('a.position', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany();
  }

  /** Ancestors from the root down to the parent (the album itself excluded). */
  ancestors(id: number): Promise<Album[]> {
    return this.em
      .createQueryBuilder(Album, 'a')
      .innerJoin('album_closure', 'c', 'c.ancestor_id = a.id')
      .where('c.descendant_id = :id AND c.depth > 0', { id })
      .orderBy('c.depth', 'DESC')
      .getMany();
  }

  /** Ids of the album's subtree, itself included, parents before children. */
  async subtreeIds(id: number): Promise<number[]> {
    const rows: { id: number }[] = await this.em.query(
      `SELECT descendant_id AS id FROM album_closure WHERE ancestor_id = $1 ORDER BY depth, descendant_id`,
      [id],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Every album below `id` (itself excluded): by depth, then position among siblings, then id.
   * Raw SQL for speed on large subtrees (bench:tree): the ids come from the closure primary key and
   * the rows by `albums_pkey` (a join made the planner hash a scan of every album), and rows come back
   * as plain tree nodes instead of through TypeORM's entity hydration.
   */
  async descendants(id: number): Promise<AlbumTreeNode[]> {
    return this.em.query(
      `SELECT ${TREE_NODE_COLUMNS} FROM albums a
       WHERE a.id = ANY(ARRAY(SELECT descendant_id FROM album_closure WHERE ancestor_id = $1 AND descendant_id <> $1))
       ORDER BY a.depth, a.position, a.id`,
      [id],
    );
  }

  /** Ids of the album and all its ancestors. */
  async selfAndAncestorIds(id: number): Promise<number[]> {
    const rows: { id: number }[] = await this.em.query(`SELECT ancestor_id AS id FROM album_closure WHERE descendant_id = $1`, [id]);
    return rows.map((r) => r.id);
  }

  async isSelfOrDescendant(ancestorId: number, candidateId: number): Promise<boolean> {
    const rows = await this.em.query(`SELECT 1 FROM album_closure WHERE ancestor_id = $1 AND descendant_id = $2`, [ancestorId, candidateId]);
    return rows.length > 0;
  }

  async slugTaken(parentId: number | null, slug: string, exceptId?: number): Promise<boolean> {
    const rows = await this.em.query(
      `SELECT 1 FROM albums WHERE COALESCE(parent_id, 0) = COALESCE($1::integer, 0) AND slug = $2 AND id <> COALESCE($3::integer, 0)`,
      [parentId, slug, exceptId ?? null],
    );
    return rows.length > 0;
  }

  async siblingCount(parentId: number | null): Promise<number> {
    const rows: { n: number }[] = await this.em.query(`SELECT count(*)::int AS n FROM albums WHERE parent_id IS NOT DISTINCT FROM $1::integer`, [parentId]);
    return rows[0]!.n;
  }

  /** Inserts the album and its closure rows. */
  async insert(row: NewAlbumRow): Promise<number> {
    const rows: { id: number }[] = await this.em.query(
      `INSERT INTO albums (parent_id, name, slug, description, status, visible, position, depth)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [row.parentId, row.name, row.slug, row.description, row.status, row.visible, row.position, row.depth],
    );
    const id = rows[0]!.id;
    await this.em.query(
      `INSERT INTO album_closure (ancestor_id, descendant_id, depth)
       SELECT ancestor_id, $1::int, depth + 1 FROM album_closure WHERE descendant_id = $2::int
       UNION ALL SELECT $1::int, $1::int, 0`,
      [id, row.parentId],
    );
    return id;
  }

  async update(id: number, fields: Partial<Pick<Album, 'name' | 'slug' | 'description' | 'status' | 'visible' | 'representativePhotoId'>>): Promise<void> {
    await this.em.update(Album, { id }, fields);
  }

  /** Opens a gap at `position` among the siblings (positions at or after it move down one). */
  async shiftPositions(parentId: number | null, fromPosition: number): Promise<void> {
    await this.em.query(`UPDATE albums SET position = position + 1 WHERE parent_id IS NOT DISTINCT FROM $1::integer AND position >= $2`, [parentId, fromPosition]);
  }

  /** Renumbers siblings 0..n-1, keeping their order. */
  async compactPositions(parentId: number | null): Promise<void> {
    await this.em.query(
      `UPDATE albums a SET position = o.rn - 1
       FROM (SELECT id, row_number() OVER (ORDER BY position, id) AS rn FROM albums WHERE parent_id IS NOT DISTINCT FROM $1::integer) o
       WHERE a.id = o.id AND a.position <> o.rn - 1`,
      [parentId],
    );
  }

  /** Sets positions to the order of `orderedIds` (which must be exactly the siblings). */
  async setPositions(orderedIds: number[]): Promise<void> {
    await this.em.query(
      `UPDATE albums a SET position = o.ord - 1 FROM unnest($1::int[]) WITH ORDINALITY AS o(id, ord) WHERE a.id = o.id`,
      [orderedIds],
    );
  }

  /**
   * Re-hangs the subtree rooted at `id` under `newParentId` (null = top level): rewrites the
   * closure rows that cross the subtree boundary and shifts depths.
   */
  async moveSubtree(id: number, newParentId: number | null, depthDelta: number, position: number): Promise<void> {
    await this.em.query(
      `DELETE FROM album_closure c
       USING album_closure sub, album_closure sup
       WHERE sub.ancestor_id = $1 AND c.descendant_id = sub.descendant_id
         AND sup.descendant_id = $1 AND sup.depth > 0 AND c.ancestor_id = sup.ancestor_id`,
      [id],
    );
    if (newParentId !== null) {
      await this.em.query(
        `INSERT INTO album_closure (ancestor_id, descendant_id, depth)
         SELECT sup.ancestor_id, sub.descendant_id, sup.depth + sub.depth + 1
         FROM album_closure sup CROSS JOIN album_closure sub
         WHERE sup.descendant_id = $2 AND sub.ancestor_id = $1`,
        [id, newParentId],
      );
    }
    await this.em.query(`UPDATE albums SET parent_id = $2::integer, position = $3, updated_at = now() WHERE id = $1`, [id, newParentId, position]);
    if (depthDelta !== 0) {
      await this.em.query(
        `UPDATE albums a SET depth = a.depth + $2 FROM album_closure c WHERE c.ancestor_id = $1 AND c.descendant_id = a.id`,
        [id, depthDelta],
      );
    }
  }

  /** Photos linked somewhere inside the subtree and nowhere outside it. */
  async photosOnlyIn(albumIds: number[]): Promise<number[]> {
    const rows: { id: number }[] = await this.em.query(
      `SELECT DISTINCT ap.photo_id AS id FROM album_photos ap
       WHERE ap.album_id = ANY($1::int[])
         AND NOT EXISTS (SELECT 1 FROM album_photos o WHERE o.photo_id = ap.photo_id AND NOT (o.album_id = ANY($1::int[])))`,
      [albumIds],
    );
    return rows.map((r) => r.id);
  }

  /** Deletes the albums (a whole subtree; links and closure rows cascade). */
  async deleteMany(albumIds: number[]): Promise<void> {
    await this.em.query(`DELETE FROM albums WHERE id = ANY($1::int[])`, [albumIds]);
  }

  /**
   * Links photos at the end of the album's order and adds them to its `photo_count` (one
   * statement); returns the ids that were not linked before. Then {@link applyTotalDelta}.
   */
  async link(albumId: number, photoIds: number[]): Promise<number[]> {
    const rows: { photo_id: number }[] = await this.em.query(
      `WITH linked AS (
         INSERT INTO album_photos (album_id, photo_id, rank)
         SELECT $1::int, p.id, (SELECT COALESCE(max(rank), -1) FROM album_photos WHERE album_id = $1::int) + p.ord
         FROM unnest($2::int[]) WITH ORDINALITY AS p(id, ord)
         ON CONFLICT DO NOTHING RETURNING photo_id
       ), counted AS (
         UPDATE albums SET photo_count = photo_count + (SELECT count(*) FROM linked)
         WHERE id = $1::int AND EXISTS (SELECT 1 FROM linked)
       )
       SELECT photo_id FROM linked`,
      [albumId, photoIds],
    );
    return rows.map((r) => r.photo_id);
  }

  /**
   * Unlinks photos and takes them off the album's `photo_count` (one statement); returns the ids
   * that were linked. Then {@link applyTotalDelta}.
   */
  async unlink(albumId: number, photoIds: number[]): Promise<number[]> {
    const rows: { photo_id: number }[] = await this.em.query(
      `WITH removed AS (
         DELETE FROM album_photos WHERE album_id = $1::int AND photo_id = ANY($2::int[]) RETURNING photo_id
       ), counted AS (
         UPDATE albums SET photo_count = photo_count - (SELECT count(*) FROM removed)
         WHERE id = $1::int AND EXISTS (SELECT 1 FROM removed)
       )
       SELECT photo_id FROM removed`,
      [albumId, photoIds],
    );
    return rows.map((r) => r.photo_id);
  }

  /**
   * Adjusts the subtree totals (`total_photo_count`) of the album and its ancestors after
   * `photoIds` were linked to (sign +1) or unlinked from (sign -1) `albumId` by {@link link} or
   * {@link unlink}. An ancestor's total changes only for photos that are not (or no longer)
   * linked anywhere else in its subtree. Run after the link change.
   */
  async applyTotalDelta(albumId: number, photoIds: number[], sign: 1 | -1): Promise<void> {
    if (photoIds.length === 0) return;
    await this.em.query(
      `UPDATE albums x SET total_photo_count = x.total_photo_count + $3 * d.n
       FROM (
         SELECT c.ancestor_id, count(*) AS n
         FROM album_closure c CROSS JOIN unnest($2::int[]) AS p(id)
         WHERE c.descendant_id = $1
           AND NOT EXISTS (
             SELECT 1 FROM album_photos ap JOIN album_closure c2 ON c2.descendant_id = ap.album_id
             WHERE ap.photo_id = p.id AND c2.ancestor_id = c.ancestor_id AND ap.album_id <> $1)
         GROUP BY c.ancestor_id
       ) d
       WHERE x.id = d.ancestor_id`,
      [albumId, photoIds, sign],
    );
  }

  /** Recomputes every cached count of the given albums from scratch. */
  async refreshCounts(albumIds: number[]): Promise<void> {
    if (albumIds.length === 0) return;
    await this.em.query(
      `UPDATE albums a SET
         photo_count = (SELECT count(*) FROM album_photos ap WHERE ap.album_id = a.id),
         child_count = (SELECT count(*) FROM albums c WHERE c.parent_id = a.id),
         descendant_count = (SELECT count(*) - 1 FROM album_closure cl WHERE cl.ancestor_id = a.id),
         total_photo_count = (SELECT count(DISTINCT ap.photo_id) FROM album_closure cl
                              JOIN album_photos ap ON ap.album_id = cl.descendant_id WHERE cl.ancestor_id = a.id)
       WHERE a.id = ANY($1::int[])`,
      [albumIds],
    );
  }

  /** Recomputes the counts of every album (repair and benchmarks). */
  async refreshAllCounts(): Promise<void> {
    await this.em.query(`
      UPDATE albums a SET photo_count = COALESCE(s.direct, 0), child_count = COALESCE(s.children, 0),
        descendant_count = s.descendants, total_photo_count = COALESCE(s.total, 0)
      FROM (
        SELECT x.id,
          (SELECT count(*) FROM album_photos ap WHERE ap.album_id = x.id) AS direct,
          (SELECT count(*) FROM albums c WHERE c.parent_id = x.id) AS children,
          (SELECT count(*) - 1 FROM album_closure cl WHERE cl.ancestor_id = x.id) AS descendants,
          (SELECT count(DISTINCT ap.photo_id) FROM album_closure cl JOIN album_photos ap ON ap.album_id = cl.descendant_id
            WHERE cl.ancestor_id = x.id) AS total
        FROM albums x
      ) s WHERE a.id = s.id`);
  }

  /** Whether the photo is linked to the album or anywhere below it. */
  async photoInSubtree(albumId: number, photoId: number): Promise<boolean> {
    const rows = await this.em.query(
      `SELECT 1 FROM album_photos ap JOIN album_closure c ON c.descendant_id = ap.album_id
       WHERE c.ancestor_id = $1 AND ap.photo_id = $2 LIMIT 1`,
      [albumId, photoId],
    );
    return rows.length > 0;
  }

  /** Clears representatives of the given albums that no longer have the photo in their subtree. */
  async clearStaleRepresentatives(albumIds: number[]): Promise<void> {
    if (albumIds.length === 0) return;
    await this.em.query(
      `UPDATE albums a SET representative_photo_id = NULL
       WHERE a.id = ANY($1::int[]) AND a.representative_photo_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM album_photos ap JOIN album_closure c ON c.descendant_id = ap.album_id
                         WHERE c.ancestor_id = a.id AND ap.photo_id = a.representative_photo_id)`,
      [albumIds],
    );
  }

  async photoIdsOf(albumId: number): Promise<number[]> {
    const rows: { photo_id: number }[] = await this.em.query(
      `SELECT photo_id FROM album_photos WHERE album_id = $1 ORDER BY rank, photo_id`,
      [albumId],
    );
    return rows.map((r) => r.photo_id);
  }

  async existingPhotoIds(photoIds: number[]): Promise<number[]> {
    const rows: { id: number }[] = await this.em.query(`SELECT id FROM photos WHERE id = ANY($1::int[])`, [photoIds]);
    return rows.map((r) => r.id);
  }
}
