import { buildPaginationView } from '../themes/pagination-view.builder.js';
import type { IndexPageView, SearchPageView, TagPageContextView } from '../themes/theme-view.types.js';
import { loadAlbumCards } from './album-card.builder.js';
import { chooseSort, orderByOf, sortOptions } from './photo-sort.js';
import type { SiteContext } from './site-context.service.js';
import { siteNotFound } from './site-not-found.js';

/** Recent photos on the home page. */
const RECENT_PHOTOS = 12;
/** Albums and tags listed on a search page. */
const SEARCH_ALBUMS = 24;
const SEARCH_TAGS = 30;
/** Longest search query considered. */
export const MAX_QUERY = 100;

/** Home: visible top-level albums (visible counts, covers) and recent visible photos. */
export async function buildHomePage(ctx: SiteContext): Promise<IndexPageView> {
  const [top, recent] = await Promise.all([ctx.albums.visibleChildren(null, ctx.scope), ctx.photos.recent(ctx.scope, RECENT_PHOTOS)]);
  return {
    context: 'index',
    site: ctx.site,
    meta: { title: null, description: null, canonicalUrl: ctx.paths.absolute(ctx.paths.home()), image: null, noindex: false },
    albums: await loadAlbumCards(ctx, top),
    recent: recent.map((r) => ctx.cards.card(r)),
    pagination: null,
  };
}

/** A tag page; a tag that no visible photo carries is not found. */
export async function buildTagPage(ctx: SiteContext, q: { slug: string; page: number; sort: unknown }): Promise<TagPageContextView> {
  const tag = await ctx.photos.tagBySlug(q.slug, ctx.scope);
  if (!tag || !tag.count) throw siteNotFound();
  const total = tag.count;
  if (q.page > Math.max(1, Math.ceil(total / ctx.perPage))) throw siteNotFound();
  const sort = chooseSort(q.sort, false);
  const sortParam = sort === 'taken-desc' ? undefined : sort;
  const rows = await ctx.photos.tagPhotos(tag.id, ctx.scope, orderByOf(sort), ctx.perPage, (q.page - 1) * ctx.perPage);
  const urlFor = (page: number) => ctx.paths.tag(tag.slug, { sort: sortParam, page });
  return {
    context: 'tag',
    site: ctx.site,
    meta: { title: null, description: null, canonicalUrl: ctx.paths.absolute(ctx.paths.tag(tag.slug, { page: q.page })), image: null, noindex: false },
    tag: {
      id: tag.id,
      name: tag.name,
      slug: tag.slug,
      url: ctx.paths.tag(tag.slug),
      count: total,
      photos: rows.map((r) => ctx.cards.card(r)),
      pagination: buildPaginationView({ page: q.page, perPage: ctx.perPage, total, urlFor }),
      sortOptions: total > 1 ? sortOptions(sort, false, (s) => ctx.paths.tag(tag.slug, { sort: s })) : [],
    },
  };
}

/**
 * The search page: visible albums by name, tags of visible photos, and visible photos by title,
 * description or tag (LIKE wildcards in the query are matched literally). Empty query: empty page.
 */
export async function buildSearchPage(ctx: SiteContext, q: { query: string; page: number }): Promise<SearchPageView> {
  const query = q.query.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, MAX_QUERY);
  const action = ctx.paths.search();
  const page = (view: SearchPageView['search']): SearchPageView => ({
    context: 'search',
    site: ctx.site,
    meta: { title: null, description: null, canonicalUrl: null, image: null, noindex: true },
    search: view,
  });
  if (!query) return page({ query: '', action, albums: [], tags: [], photos: [], total: 0, pagination: null });
  const [albums, tags, photos] = await Promise.all([
    ctx.albums.search(query, ctx.scope, SEARCH_ALBUMS),
    ctx.photos.searchTags(query, ctx.scope, SEARCH_TAGS),
    ctx.photos.searchPhotos(query, ctx.scope, ctx.perPage, (q.page - 1) * ctx.perPage),
  ]);
  if (q.page > 1 && q.page > Math.ceil(photos.total / ctx.perPage)) throw siteNotFound();
  return page({
    query,
    action,
    albums: await loadAlbumCards(ctx, albums),
    tags: tags.map((t) => ({ id: t.id, name: t.name, slug: t.slug, url: ctx.paths.tag(t.slug), count: t.count })),
    photos: photos.rows.map((r) => ctx.cards.card(r)),
    total: photos.total,
    pagination: buildPaginationView({ page: q.page, perPage: ctx.perPage, total: photos.total, urlFor: (n) => ctx.paths.search({ q: query, page: n }) }),
  });
}
