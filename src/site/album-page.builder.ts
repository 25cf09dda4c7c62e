import { buildPaginationView } from '../themes/pagination-view.builder.js';
import type { AlbumPageView, AlbumView } from '../themes/theme-view.types.js';
import { breadcrumbs, loadAlbumCards, markCurrentNav } from './album-card.builder.js';
import { isoDate } from './photo-card.builder.js';
import { chooseSort, orderByOf, sortOptions } from './photo-sort.js';
import type { SiteContext } from './site-context.service.js';
import type { SiteAlbumRow } from './site-album.repository.js';
import { siteNotFound } from './site-not-found.js';

/** Query of an album page. */
export interface AlbumPageQuery {
  id: number;
  /** Slug from the URL, or null when absent. */
  slug: string | null;
  page: number;
  sort: unknown;
}

/** An album page to render, or the canonical URL to redirect to. */
export type AlbumPageResult = { kind: 'page'; page: AlbumPageView } | { kind: 'redirect'; url: string };

/**
 * Builds the album page: visible sub-albums with visible counts, one page of visible photos in
 * an allowlisted order, pagination links that work without JavaScript. Missing and invisible
 * albums throw the same not-found; the canonical-slug redirect happens only after that check.
 */
export async function buildAlbumPage(ctx: SiteContext, q: AlbumPageQuery): Promise<AlbumPageResult> {
  const album = await ctx.albums.findVisible(q.id, ctx.scope);
  if (!album) throw siteNotFound();
  const sort = chooseSort(q.sort, true);
  const sortParam = sort === 'manual' ? undefined : sort;
  if (q.slug !== album.slug) return { kind: 'redirect', url: ctx.paths.album(album.id, album.slug, { sort: sortParam, page: q.page }) };

  const ancestors = await ctx.albums.visibleAncestors(album.id, ctx.scope);
  const urlFor = (page: number) => ctx.paths.album(album.id, album.slug, { sort: sortParam, page });
  const view = await albumView(ctx, album, { page: q.page, sort }, urlFor, (s) => ctx.paths.album(album.id, album.slug, { sort: s }));
  view.breadcrumbs = breadcrumbs(ctx, ancestors);
  markCurrentNav(ctx, ancestors[0]?.id ?? album.id);
  return {
    kind: 'page',
    page: {
      context: 'album',
      site: ctx.site,
      // Sorted variants of a page share the canonical URL of the default order.
      meta: { title: null, description: null, canonicalUrl: ctx.paths.absolute(ctx.paths.album(album.id, album.slug, { page: q.page })), image: null, noindex: false },
      album: view,
    },
  };
}

/**
 * The {@link AlbumView} of a visible album for the context's principal (album pages and album
 * share links): visible sub-albums, one page of visible photos, counts, dates. Breadcrumbs empty.
 */
export async function albumView(
  ctx: SiteContext,
  album: SiteAlbumRow,
  q: { page: number; sort: string },
  urlFor: (page: number) => string,
  sortUrl: ((sort: string | undefined) => string) | null,
): Promise<AlbumView> {
  const [children, stats] = await Promise.all([ctx.albums.visibleChildren(album.id, ctx.scope), ctx.albums.photoStats(album.id, ctx.scope)]);
  if (q.page > Math.max(1, Math.ceil(stats.total / ctx.perPage))) throw siteNotFound();
  const [rows, subAlbums, [self]] = await Promise.all([
    ctx.albums.photos(album.id, ctx.scope, orderByOf(q.sort), ctx.perPage, (q.page - 1) * ctx.perPage),
    loadAlbumCards(ctx, children),
    loadAlbumCards(ctx, [album]),
  ]);
  const from = isoDate(stats.from);
  const to = isoDate(stats.to);
  return {
    id: album.id,
    name: album.name,
    slug: album.slug,
    description: album.description,
    url: ctx.paths.album(album.id, album.slug),
    breadcrumbs: [],
    cover: self!.cover,
    counts: self!.counts,
    albums: subAlbums,
    photos: rows.map((r) => ctx.cards.card(r, album.id)),
    pagination: buildPaginationView({ page: q.page, perPage: ctx.perPage, total: stats.total, urlFor }),
    sortOptions: sortUrl && stats.total > 1 ? sortOptions(q.sort, true, sortUrl) : [],
    dateRange: from && to ? { from, to } : null,
    extensions: {},
  };
}
