import type { AlbumCardView, BreadcrumbView } from '../themes/theme-view.types.js';
import type { SiteContext } from './site-context.service.js';
import type { AlbumCardRow, SiteAlbumRow } from './site-album.repository.js';

/** Turns card rows (visible counts and cover already computed) into {@link AlbumCardView}s. */
export function albumCards(ctx: SiteContext, rows: AlbumCardRow[]): AlbumCardView[] {
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    slug: r.slug,
    description: r.description,
    url: ctx.paths.album(r.id, r.slug),
    cover: r.cover ? ctx.cards.card(r.cover, r.id) : null,
    counts: { photos: r.photos, totalPhotos: r.total_photos, albums: r.albums },
  }));
}

/** Cards for visible albums, counts and covers as the context's principal sees them. */
export async function loadAlbumCards(ctx: SiteContext, albums: SiteAlbumRow[]): Promise<AlbumCardView[]> {
  return albumCards(ctx, await ctx.albums.cards(albums, ctx.scope));
}

/** Breadcrumbs of the visible ancestors, top first. */
export function breadcrumbs(ctx: SiteContext, ancestors: SiteAlbumRow[]): BreadcrumbView[] {
  return ancestors.map((a) => ({ name: a.name, url: ctx.paths.album(a.id, a.slug) }));
}

/** Marks the nav item of the top-level album the page belongs to. */
export function markCurrentNav(ctx: SiteContext, topAlbumId: number | null): void {
  if (topAlbumId === null) return;
  const url = ctx.site.nav.find((n) => n.url.startsWith(`${ctx.paths.base}/albums/${topAlbumId}-`));
  if (url) url.current = true;
}
