import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { AuditsItself } from '../audit/audit-writes.interceptor.js';
import { Public } from '../access/policies.decorator.js';
import { HTTP_STATUS_BY_KIND, VitrineError } from '../common/errors.js';
import { MAX_PASSWORD_LENGTH } from '../users/password.hasher.js';
import { csrfTokenFor, hasValidCsrfToken } from './csrf.js';
import { LoginPageRenderer } from './login-page.renderer.js';
import { safeNextPath } from './safe-redirect.js';
import { SessionService } from './session.service.js';

const formBody = z.strictObject({
  username: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  returnTo: z.string().max(2000).optional(),
});

/**
 * The HTML login form: `GET /login`, `POST /login` (urlencoded `username`, `password`, `_csrf`,
 * optional `returnTo`; `?next=` wins), and `POST /logout` (with `_csrf`). On success: 303 to the
 * same-site `next` path or `/`. On failure: the form again, with the status of the error.
 */
@AuditsItself()
@Controller()
export class LoginController {
  constructor(
    private readonly sessions: SessionService,
    private readonly renderer: LoginPageRenderer,
  ) {}

  @Get('login')
  @Public()
  async form(@Req() req: Request, @Res() res: Response, @Query('next') next?: unknown): Promise<void> {
    await this.page(req, res, 200, { next: safeNextPath(next), username: '', error: null });
  }

  @Post('login')
  @Public()
  async submit(@Req() req: Request, @Res() res: Response, @Query('next') next?: unknown): Promise<void> {
    const body = formBody.safeParse(req.body ?? {});
    const target = safeNextPath(next ?? (body.success ? body.data.returnTo : undefined));
    const username = body.success ? body.data.username : typeof req.body?.username === 'string' ? String(req.body.username).slice(0, 254) : '';
    if (!hasValidCsrfToken(req)) return this.page(req, res, 403, { next: target, username, error: 'The form has expired. Please try again.' });
    if (!body.success) return this.page(req, res, 400, { next: target, username, error: 'Enter your user name and password.' });
    try {
      req.body = { username: body.data.username, password: body.data.password };
      await this.sessions.login(req, 'form');
    } catch (error) {
      if (!(error instanceof VitrineError) || (error.kind !== 'unauthenticated' && error.kind !== 'rate_limited')) throw error;
      return this.page(req, res, HTTP_STATUS_BY_KIND[error.kind], { next: target, username, error: error.message });
    }
    res.redirect(303, target);
  }

  @Post('logout')
  @Public()
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.sessions.logout(req);
    res.redirect(303, '/');
  }

  /** Renders the page with the active theme (or the built-in form) and the CSP it needs. */
  private async page(req: Request, res: Response, status: number, state: { next: string; username: string; error: string | null }): Promise<void> {
    const action = state.next === '/' ? '/login' : `/login?next=${encodeURIComponent(state.next)}`;
    const { html, csp } = await this.renderer.page(req, { action, returnTo: state.next, username: state.username, error: state.error, resetUrl: null }, csrfTokenFor(req) ?? '');
    res
      .status(status)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Frame-Options': 'DENY',
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'same-origin',
      })
      .send(html);
  }
}
