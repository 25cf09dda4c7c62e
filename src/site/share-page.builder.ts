import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../access/principal.js';
import { buildPaginationView } from '../themes/pagination-view.builder.js';
import type { AlbumView, SharePageView } from '../themes/theme-view.types.js';
import { albumView } from './album-page.builder.js';
import { isoDate } from './photo-card.builder.js';
import type { SiteContext } from './site-context.service.js';
import { siteNotFound } from './site-not-found.js';

/** A live share link as the landing page needs it. */
export interface ShareLandingRow {
  id: number;
  label: string | null;
  album_id: number | null;
  has_password: boolean;
  allow_download: boolean;
  expires_at: Date | string | null;
}

/**
 * The live link behind a token, or null (unknown, revoked and expired look alike). The token is
 * hashed exactly as `ShareLinkService` stores it (sha256, hex); the password is checked there.
 */
export async function findShareLanding(em: EntityManager, token: string): Promise<ShareLandingRow | null> {
  if (token.length < 20 || token.length > 100) return null;
  const hash = createHash('sha256').update(token, 'utf8').digest('hex');
  const rows: ShareLandingRow[] = await em.query(
    `SELECT id, label, album_id, password_hash IS NOT NULL AS has_password, allow_download, expires_at
     FROM share_links WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [hash],
  );
  return rows[0] ?? null;
}

/** The principal an opened link grants (what `ShareLinkService.open` returns). */
export function sharePrincipal(link: ShareLandingRow): Principal {
  return { kind: 'share', shareLinkId: link.id, role: 'guest', privacyLevel: 0, allowDownload: link.allow_download };
}

/** The locked page: title and password form only, nothing of the content. */
export function lockedSharePage(ctx: SiteContext, link: ShareLandingRow, token: string, error: string | null): SharePageView {
  return {
    context: 'share',
    site: ctx.site,
    meta: { title: null, description: null, canonicalUrl: null, image: null, noindex: true },
    share: {
      title: link.label ?? 'Shared photos',
      message: null,
      locked: true,
      passwordForm: { action: ctx.paths.share(token), error },
      expiresAt: isoDate(link.expires_at),
      album: null,
      downloadAllUrl: null,
    },
  };
}

/**
 * The unlocked page; `ctx` must be built for the link's own principal. An album link shows the
 * album (as the link sees it); a selection shows its photos shaped as an album.
 */
export async function openSharePage(ctx: SiteContext, link: ShareLandingRow, token: string, page: number): Promise<SharePageView> {
  const urlFor = (n: number) => `${ctx.paths.share(token)}${n > 1 ? `?page=${n}` : ''}`;
  let album: AlbumView;
  let title = link.label;
  if (link.album_id !== null) {
    const row = await ctx.albums.findVisible(link.album_id, ctx.scope);
    if (!row) throw siteNotFound();
    album = await albumView(ctx, row, { page, sort: 'manual' }, urlFor, null);
    title ??= row.name;
  } else {
    album = await selectionView(ctx, title ?? 'Shared photos', page, urlFor);
  }
  return {
    context: 'share',
    site: ctx.site,
    meta: { title: null, description: null, canonicalUrl: null, image: null, noindex: true },
    share: {
      title: title ?? 'Shared photos',
      message: null,
      locked: false,
      passwordForm: null,
      expiresAt: isoDate(link.expires_at),
      album,
      downloadAllUrl: null,
    },
  };
}

/** The chosen photos of a selection link, as an album without sub-albums. */
async function selectionView(ctx: SiteContext, name: string, page: number, urlFor: (n: number) => string): Promise<AlbumView> {
  const { rows, total } = await ctx.photos.visiblePage(ctx.scope, ctx.perPage, (page - 1) * ctx.perPage);
  if (page > Math.max(1, Math.ceil(total / ctx.perPage))) throw siteNotFound();
  const photos = rows.map((r) => ctx.cards.card(r));
  return {
    id: 0,
    name,
    slug: 'share',
    description: null,
    url: urlFor(1),
    breadcrumbs: [],
    cover: photos[0] ?? null,
    counts: { photos: total, totalPhotos: total, albums: 0 },
    albums: [],
    photos,
    pagination: buildPaginationView({ page, perPage: ctx.perPage, total, urlFor }),
    sortOptions: [],
    dateRange: null,
    extensions: {},
  };
}
