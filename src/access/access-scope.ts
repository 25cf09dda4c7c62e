import { createHash } from 'node:crypto';
import type { ParamBag } from '../database/param-bag.js';

const idKeys = new WeakMap<readonly number[], string>();

/** `*` for null, the ids joined when short, else their SHA-256 (remembered per array). */
function idsKey(ids: readonly number[] | null): string {
  if (ids === null) return '*';
  let key = idKeys.get(ids);
  if (key === undefined) {
    const joined = ids.join(',');
    key = joined.length <= 200 ? joined : `#${createHash('sha256').update(joined).digest('base64url')}`;
    idKeys.set(ids, key);
  }
  return key;
}

/**
 * What one principal may see, ready to be added to any SQL query. Built by
 * {@link VisibilityService.scopeFor}; every listing, count, search, tag cloud, feed, sitemap, zip
 * and file route composes its WHERE clause from these two methods, so that one rule decides.
 */
export class AccessScope {
  constructor(
    /** null: every album (administrators). */
    readonly albumIds: readonly number[] | null,
    /** Highest photo privacy level the principal may see (0, 1, 2, 4 or 8). */
    readonly maxPrivacyLevel: number,
    /** Set for share links of a chosen set of photos: exactly these, nothing else. */
    readonly photoIds: readonly number[] | null = null,
    /** Whether photos still in the ws.php lounge or in no album are visible (administrators). */
    readonly seesEverything = false,
  ) {}

  /** Whether the album with this id is visible. */
  canSeeAlbum(albumId: number): boolean {
    return this.albumIds === null || this.albumSet.has(albumId);
  }

  /** SQL condition on an albums alias, e.g. `a`. */
  albumWhere(alias: string, params: ParamBag): string {
    if (this.albumIds === null) return 'TRUE';
    return `${alias}.id = ANY(${params.add(this.albumIds)}::int[])`;
  }

  /**
   * SQL condition on a photos alias: the photo sits in at least one visible album and its
   * privacy level is within the principal's, or (selection share links) is one of the chosen photos;
   * in every case it is `ready` (not in the ws.php lounge) and not flagged missing by the doctor.
   */
  photoWhere(alias: string, params: ParamBag): string {
    if (this.seesEverything) return 'TRUE';
    if (this.photoIds !== null) return `(${alias}.id = ANY(${params.add(this.photoIds)}::int[]) AND ${servable(alias)})`;
    const level = `${alias}.privacy_level <= ${params.add(this.maxPrivacyLevel)}`;
    const ready = servable(alias);
    if (this.albumIds === null) {
      return `(${level} AND ${ready} AND EXISTS (SELECT 1 FROM album_photos vap WHERE vap.photo_id = ${alias}.id))`;
    }
    return `(${level} AND ${ready} AND EXISTS (SELECT 1 FROM album_photos vap WHERE vap.photo_id = ${alias}.id AND vap.album_id = ANY(${params.add(this.albumIds)}::int[])))`;
  }

  /**
   * SQL condition on a photos alias for listing the photos *of one album*. The album's own
   * visibility is checked here, in memory, so the condition reduces to level and status: a photo
   * linked to a visible album is visible by definition. Much cheaper than {@link photoWhere}.
   */
  photoWhereInAlbum(alias: string, albumId: number, params: ParamBag): string {
    if (this.seesEverything) return 'TRUE';
    if (this.photoIds !== null) return this.photoWhere(alias, params);
    if (!this.canSeeAlbum(albumId)) return 'FALSE';
    return `(${alias}.privacy_level <= ${params.add(this.maxPrivacyLevel)} AND ${servable(alias)})`;
  }

  /**
   * A string equal for two scopes exactly when they see the same albums and photos (answer caches
   * key on it, so principals with the same visibility share answers and no others do): the
   * privacy level, the visible album ids, the chosen photo ids, or "everything". Long id lists
   * are hashed (SHA-256); the string of a list is remembered per list (VisibilityService hands out
   * the same array while the access epoch stays).
   */
  cacheKey(): string {
    if (this.seesEverything) return 'all';
    return `l${this.maxPrivacyLevel}|a${idsKey(this.albumIds)}|p${idsKey(this.photoIds)}`;
  }

  private _albumSet: Set<number> | undefined;
  private get albumSet(): Set<number> {
    return (this._albumSet ??= new Set(this.albumIds ?? []));
  }
}

/** Ready (not waiting in the ws.php lounge) and not flagged missing (`vitrine doctor`: original file gone). */
function servable(alias: string): string {
  return `(${alias}.status = 'ready' AND ${alias}.missing_since IS NULL)`;
}
