import type { ParamBag } from '../database/param-bag.js';

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
   * privacy level is within the principal's, or (selection share links) is one of the chosen photos.
   */
  photoWhere(alias: string, params: ParamBag): string {
    if (this.seesEverything) return 'TRUE';
    if (this.photoIds !== null) return `(${alias}.id = ANY(${params.add(this.photoIds)}::int[]) AND ${alias}.status = 'ready')`;
    const level = `${alias}.privacy_level <= ${params.add(this.maxPrivacyLevel)}`;
    const ready = `${alias}.status = 'ready'`;
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
    return `(${alias}.privacy_level <= ${params.add(this.maxPrivacyLevel)} AND ${alias}.status = 'ready')`;
  }

  private _albumSet: Set<number> | undefined;
  private get albumSet(): Set<number> {
    return (this._albumSet ??= new Set(this.albumIds ?? []));
  }
}
