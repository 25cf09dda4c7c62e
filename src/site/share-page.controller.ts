import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../access/policies.decorator.js';
import { SHARE_COOKIE, SHARE_COOKIE_MAX_AGE_MS, signShareCookie, verifyShareCookie } from '../access/share-cookie.js';
import { ShareLinkService } from '../access/share-link.service.js';
import { VitrineError } from '../common/errors.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { AppSecretService } from '../settings/app-secret.service.js';
import { parsePage } from './photo-sort.js';
import { findShareLanding, lockedSharePage, openSharePage, sharePrincipal, type ShareLandingRow } from './share-page.builder.js';
import { SiteContextService } from './site-context.service.js';
import { SiteErrorFilter } from './site-error.filter.js';
import { SiteHeadersInterceptor } from './site-headers.js';
import { siteNotFound } from './site-not-found.js';
import { isSameOriginPost, readCookie, sendPage } from './site-response.js';

const WRONG_PASSWORD = 'The password is not right.';

/**
 * Share-link landing `/s/<token>`. Without a password the link opens at once (and the share
 * cookie is set); with one, a form POSTs back here. The token is the credential, so the POST
 * needs no session CSRF token: the cookie is `SameSite=Lax` and cross-site POSTs are refused.
 * Unknown, revoked and expired links answer the site's 404 page.
 */
@Public()
@Controller('s')
@UseFilters(SiteErrorFilter)
@UseInterceptors(SiteHeadersInterceptor)
export class SharePageController {
  constructor(
    private readonly contexts: SiteContextService,
    private readonly shares: ShareLinkService,
    private readonly secrets: AppSecretService,
    private readonly dataSource: DataSource,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
  ) {}

  /** The landing: password form while locked, else the shared album or photos (`?page=`). */
  @Get(':token')
  async landing(@Param('token') token: string, @Query('page') rawPage: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const link = await this.link(token);
    const page = parsePage(rawPage);
    if (page === null) throw siteNotFound();
    const secret = await this.secrets.get();
    const opened = verifyShareCookie(readCookie(req, SHARE_COOKIE), secret) === link.id;
    if (link.has_password && !opened) {
      const ctx = await this.contexts.forRequest(req);
      return sendPage(res, ctx.theme, lockedSharePage(ctx, link, token, null));
    }
    if (!opened) {
      this.setCookie(req, res, link.id, secret);
      await this.shares.opened(link.id); // hook: share.opened (first visit of a link without password)
    }
    const ctx = await this.contexts.forRequest(req, sharePrincipal(link));
    await sendPage(res, ctx.theme, await openSharePage(ctx, link, token, page));
  }

  /** The password form: a right password sets the share cookie and redirects (303) to the landing. */
  @Post(':token')
  async unlock(@Param('token') token: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!isSameOriginPost(req, this.config.publicUrl)) {
      throw new VitrineError('forbidden', 'site.cross_site_post', 'This form can only be sent from this site.');
    }
    const link = await this.link(token);
    const raw = (body as { password?: unknown } | undefined)?.password;
    const password = typeof raw === 'string' ? raw.slice(0, 200) : '';
    try {
      await this.shares.open(token, password || undefined);
    } catch (error) {
      if (error instanceof VitrineError && (error.code === 'share.wrong_password' || error.code === 'share.password_required')) {
        const ctx = await this.contexts.forRequest(req);
        return sendPage(res, ctx.theme, lockedSharePage(ctx, link, token, WRONG_PASSWORD), 401);
      }
      if (error instanceof VitrineError && error.code === 'share.not_found') throw siteNotFound();
      throw error;
    }
    this.setCookie(req, res, link.id, await this.secrets.get());
    res.redirect(303, this.contexts.paths.share(token));
  }

  private async link(token: string): Promise<ShareLandingRow> {
    const link = await findShareLanding(this.dataSource.manager, token);
    if (!link) throw siteNotFound();
    return link;
  }

  /** The same cookie `POST /api/v1/share-links/open` sets. */
  private setCookie(req: Request, res: Response, linkId: number, secret: Buffer): void {
    res.cookie(SHARE_COOKIE, signShareCookie(linkId, secret), {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.secureCookies || req.secure,
      maxAge: SHARE_COOKIE_MAX_AGE_MS,
      path: '/',
    });
  }
}
