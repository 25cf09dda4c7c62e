import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ParamBag } from '../database/param-bag.js';
import { readAccessEpoch } from './access-epoch.js';
import { AccessScope } from './access-scope.js';
import { isAdmin, type Principal } from './principal.js';
import { accessEpochOf, sharedDataVersion } from '../database/data-version.js';

interface CacheEntry {
  epoch: number;
  albumIds: number[];
}

const MAX_CACHE_ENTRIES = 5000;

/** Administrators and editors see every album and photo. */
function seesEverything(principal: Principal): boolean {
  return isAdmin(principal) || (principal.kind === 'user' && principal.role === 'editor');
}

/**
 * Answers "which albums and photos can this principal see", in SQL, for every read path.
 *
 * Rules (Piwigo's): a public album is visible to all; a private album only to principals granted
 * it (directly, through a group, or through a share link) and to administrators; an album is
 * hidden when any ancestor is hidden or not visible to the principal; a photo is visible when it
 * sits in at least one visible album and its privacy level is within the principal's.
 *
 * The visible-album set is cached per principal and tagged with the access epoch, which every
 * change to grants, memberships, the tree, statuses or share links bumps in its transaction, so a
 * change is seen on the very next request, also by other processes on the same database.
 */
@Injectable()
export class VisibilityService {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The scope to compose into queries. One epoch read per call (outside a transaction it is the
   * shared data-version read, so concurrent requests share one query); the album set comes from cache.
   */
  async scopeFor(principal: Principal, em: EntityManager = this.dataSource.manager): Promise<AccessScope> {
    if (seesEverything(principal)) return new AccessScope(null, 8, null, true);
    if (principal.kind === 'share') return this.shareLinkScope(principal.shareLinkId, em);
    const epoch = em === this.dataSource.manager ? accessEpochOf(await sharedDataVersion(this.dataSource).read()) : await readAccessEpoch(em);
    return this.scopeAt(principal, epoch, em);
  }

  /**
   * The scope and the data version it was read at (for answer caches: one shared query gives
   * both). Outside transactions only.
   */
  async scopeWithVersion(principal: Principal): Promise<{ scope: AccessScope; version: string }> {
    const version = await sharedDataVersion(this.dataSource).read();
    if (seesEverything(principal)) return { scope: new AccessScope(null, 8, null, true), version };
    if (principal.kind === 'share') return { scope: await this.shareLinkScope(principal.shareLinkId, this.dataSource.manager), version };
    return { scope: await this.scopeAt(principal, accessEpochOf(version), this.dataSource.manager), version };
  }

  private async scopeAt(principal: Principal, epoch: number, em: EntityManager): Promise<AccessScope> {
    const key = principal.kind === 'user' ? `u${principal.userId}` : 'guest';
    const cached = this.cache.get(key);
    if (cached && cached.epoch === epoch) return new AccessScope(cached.albumIds, principal.privacyLevel);
    const albumIds = await this.computeAlbumIds(principal.kind === 'user' ? principal.userId : null, em);
    if (this.cache.size >= MAX_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { epoch, albumIds });
    return new AccessScope(albumIds, principal.privacyLevel);
  }

  /** Visible album ids among `albumIds`, in one query (bulk check). */
  async filterAlbumIds(principal: Principal, albumIds: number[]): Promise<number[]> {
    const scope = await this.scopeFor(principal);
    return albumIds.filter((id) => scope.canSeeAlbum(id));
  }

  /** Visible photo ids among `photoIds`, in one query (bulk check). */
  async filterPhotoIds(principal: Principal, photoIds: number[], em: EntityManager = this.dataSource.manager): Promise<number[]> {
    if (photoIds.length === 0) return [];
    const scope = await this.scopeFor(principal, em);
    const p = new ParamBag();
    const ids = p.add(photoIds);
    const rows: { id: number }[] = await em.query(`SELECT p.id FROM photos p WHERE p.id = ANY(${ids}::int[]) AND ${scope.photoWhere('p', p)} ORDER BY p.id`, p.values);
    return rows.map((r) => r.id);
  }

  async canSeePhoto(principal: Principal, photoId: number): Promise<boolean> {
    return (await this.filterPhotoIds(principal, [photoId])).length === 1;
  }

  async canSeeAlbum(principal: Principal, albumId: number): Promise<boolean> {
    return (await this.scopeFor(principal)).canSeeAlbum(albumId);
  }

  /** Drops every cached set (tests, maintenance). Correctness never depends on it. */
  clearCache(): void {
    this.cache.clear();
  }

  /**
   * Albums visible to a user (or to anonymous visitors with null): all albums except those below
   * (or at) a restricted album — hidden, or private without a direct or group grant.
   */
  private async computeAlbumIds(userId: number | null, em: EntityManager): Promise<number[]> {
    const rows: { id: number }[] = await em.query(
      `WITH granted AS (
         SELECT album_id FROM album_user_grants WHERE user_id = $1
         UNION SELECT g.album_id FROM album_group_grants g JOIN group_members m ON m.group_id = g.group_id WHERE m.user_id = $1
       ), blocked AS (
         SELECT id FROM albums
         WHERE (status = 'private' OR NOT visible)
           AND NOT (visible AND id IN (SELECT album_id FROM granted))
       )
       SELECT a.id FROM albums a
       WHERE NOT EXISTS (
         SELECT 1 FROM album_closure c JOIN blocked b ON b.id = c.ancestor_id WHERE c.descendant_id = a.id)
       ORDER BY a.id`,
      [userId ?? 0],
    );
    return rows.map((r) => r.id);
  }

  /**
   * A share link sees its album (and, if chosen, every visible-flagged album below it), or
   * exactly its chosen photos. Links that are revoked or expired see nothing.
   */
  private async shareLinkScope(shareLinkId: number, em: EntityManager): Promise<AccessScope> {
    const links: { album_id: number | null; include_subalbums: boolean; live: boolean }[] = await em.query(
      `SELECT album_id, include_subalbums, (revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())) AS live
       FROM share_links WHERE id = $1`,
      [shareLinkId],
    );
    const link = links[0];
    if (!link || !link.live) return new AccessScope([], 0, []);
    if (link.album_id === null) {
      const photos: { photo_id: number }[] = await em.query(`SELECT photo_id FROM share_link_photos WHERE share_link_id = $1 ORDER BY photo_id`, [shareLinkId]);
      return new AccessScope([], 0, photos.map((r) => r.photo_id));
    }
    const rows: { id: number }[] = link.include_subalbums
      ? await em.query(
          `SELECT c.descendant_id AS id FROM album_closure c
           WHERE c.ancestor_id = $1 AND NOT EXISTS (
             SELECT 1 FROM album_closure h JOIN albums x ON x.id = h.ancestor_id
             WHERE h.descendant_id = c.descendant_id AND NOT x.visible
               AND h.ancestor_id IN (SELECT descendant_id FROM album_closure WHERE ancestor_id = $1 AND depth > 0))
           ORDER BY 1`,
          [link.album_id],
        )
      : [{ id: link.album_id }];
    return new AccessScope(rows.map((r) => r.id), 0);
  }
}
