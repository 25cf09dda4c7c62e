import { Controller, Get, Optional, Param, Query, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import { PluginSiteViews } from '../plugin-host/plugin-site.views.js';
import type { Request, Response } from 'express';
import { Public } from '../access/policies.decorator.js';
import { buildAlbumPage } from './album-page.builder.js';
import { buildHomePage, buildSearchPage, buildTagPage } from './listing-page.builder.js';
import { buildPhotoPage } from './photo-page.builder.js';
import { parsePage } from './photo-sort.js';
import { SiteContextService } from './site-context.service.js';
import { SiteErrorFilter } from './site-error.filter.js';
import { SiteHeadersInterceptor } from './site-headers.js';
import { siteNotFound } from './site-not-found.js';
import type { PageView } from '../themes/theme-view.types.js';
import type { SiteContext } from './site-context.service.js';
import { SitePageCache } from './site-page.cache.js';
import { sendHtml, sendVisitorRedirect } from './site-response.js';

type QueryBag = Record<string, unknown>;

const ALBUM_REF = /^([1-9]\d{0,8})(?:-(.+))?$/;
const ID = /^[1-9]\d{0,8}$/;
const TAG_SLUG = /^[a-z0-9][a-z0-9_-]{0,119}$/;

function pageOf(query: QueryBag): number {
  const page = parsePage(query.page);
  if (page === null) throw siteNotFound();
  return page;
}

/**
 * Public gallery pages, rendered by the active theme. `@Public()` only lifts the CASL policy:
 * every page lists what the visitor's visibility scope allows, and a hidden album, photo or tag
 * answers the same 404 page as a missing one.
 */
@Public()
@Controller()
@UseFilters(SiteErrorFilter)
@UseInterceptors(SiteHeadersInterceptor)
export class SitePagesController {
  constructor(
    private readonly contexts: SiteContextService,
    private readonly cache: SitePageCache,
    @Optional() private readonly views?: PluginSiteViews,
  ) {}

  /**
   * Renders a page: from the anonymous page cache when it holds this URL for the current access
   * epoch, else built (`build` returns the page, or a URL to redirect to with 301) and stored.
   */
  private async respond(req: Request, res: Response, build: (ctx: SiteContext) => Promise<PageView | { redirect: string }>): Promise<void> {
    const key = await this.cache.keyFor(req);
    const hit = this.cache.get(key);
    if (hit !== undefined) return sendHtml(res, hit);
    const ctx = await this.contexts.forRequest(req);
    const page = await build(ctx);
    if ('redirect' in page) return sendVisitorRedirect(res, page.redirect);
    const html = await ctx.theme.renderPage(page);
    this.cache.set(key, html);
    sendHtml(res, html);
  }

  /** Home: visible top-level albums and recent photos. */
  @Get()
  async home(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.respond(req, res, (ctx) => buildHomePage(ctx));
  }

  /** `/albums/12-paris?page=2&sort=taken-desc`; `/albums/12` and wrong slugs redirect (301) to the canonical URL. */
  @Get('albums/:ref')
  async album(@Param('ref') ref: string, @Query() query: QueryBag, @Req() req: Request, @Res() res: Response): Promise<void> {
    const match = ALBUM_REF.exec(ref);
    if (!match) throw siteNotFound();
    const page = pageOf(query);
    await this.respond(req, res, async (ctx) => {
      const result = await buildAlbumPage(ctx, { id: Number(match[1]), slug: match[2] ?? null, page, sort: query.sort });
      if (result.kind === 'redirect') return { redirect: result.url };
      await this.views?.albumPage(result.page); // hook: album.viewModel
      return result.page;
    });
  }

  /** `/photos/34` or, browsing an album, `/photos/34?album=12` (prev/next within that album). */
  @Get('photos/:id')
  async photo(@Param('id') id: string, @Query() query: QueryBag, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!ID.test(id)) throw siteNotFound();
    const albumId = typeof query.album === 'string' && ID.test(query.album) ? Number(query.album) : null;
    await this.respond(req, res, async (ctx) => {
      const page = await buildPhotoPage(ctx, { id: Number(id), albumId });
      await this.views?.photoPage(page); // hook: photo.viewModel
      return page;
    });
  }

  /** `/tags/winter?page=2&sort=title`: visible photos carrying the tag. */
  @Get('tags/:slug')
  async tag(@Param('slug') slug: string, @Query() query: QueryBag, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!TAG_SLUG.test(slug)) throw siteNotFound();
    const page = pageOf(query);
    await this.respond(req, res, (ctx) => buildTagPage(ctx, { slug, page, sort: query.sort }));
  }

  /** `/search?q=…&page=2`: albums, tags and photos matching the query, among visible ones. */
  @Get('search')
  async search(@Query() query: QueryBag, @Req() req: Request, @Res() res: Response): Promise<void> {
    const q = typeof query.q === 'string' ? query.q : '';
    const page = pageOf(query);
    await this.respond(req, res, (ctx) => buildSearchPage(ctx, { query: q, page }));
  }
}
