import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { HTTP_STATUS_BY_KIND, VitrineError } from '../common/errors.js';
import { LOGGER } from '../common/logger.js';
import { applyAdminHeaders, AdminPageService } from './admin-page.service.js';

const FIXED: Record<number, { title: string; message: string }> = {
  403: { title: 'Not allowed', message: 'Your account cannot open this part of the administration.' },
  404: { title: 'Not found', message: 'This page or item does not exist (any more).' },
  500: { title: 'Something went wrong', message: 'The server could not finish this request. It has been logged.' },
};

/**
 * Errors of admin routes, as a person using a browser expects them:
 * - a guest is sent to `/login?next=<this page>` (303);
 * - a refused or unknown page is an HTML error page (403, 404) inside the admin layout;
 * - a form whose input breaks a rule (400, 409, 413…) goes back to the page it came from with
 *   the message shown on top (303, flash), so nothing typed needs a JavaScript error handler;
 * - JSON/fetch callers (`Accept: application/json`) get the usual problem+json.
 */
@Catch()
@Injectable()
export class AdminErrorFilter implements ExceptionFilter {
  constructor(
    private readonly pages: AdminPageService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const error = toVitrineError(exception);
    const status = error ? HTTP_STATUS_BY_KIND[error.kind] : exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500) this.logger.error({ err: exception, path: req.path }, 'admin request failed');
    if (res.headersSent) return;

    if (status === 401 && this.pages.principal(req).kind !== 'user') {
      const next = req.method === 'GET' ? req.originalUrl : '/admin';
      res.redirect(303, `/login?next=${encodeURIComponent(next)}`);
      return;
    }
    if ((req.get('accept') ?? '').includes('application/json')) {
      res.status(status).type('application/problem+json').send({
        type: 'about:blank',
        title: error?.message ?? FIXED[500]!.title,
        status,
        code: error?.code ?? 'internal',
        ...(error?.fields ? { errors: error.fields } : {}),
      });
      return;
    }
    if (req.method === 'POST' && error && status !== 403 && status < 500) {
      this.pages.flash(req, 'error', error.message);
      await this.pages.redirect(res, backTo(req));
      return;
    }
    const fixed = FIXED[status] ?? { title: error?.message ?? 'Error', message: error?.message ?? '' };
    try {
      const html = await this.pages.html(req, 'error', fixed.title, { status, message: status < 500 && error && status !== 403 && status !== 404 ? error.message : fixed.message });
      applyAdminHeaders(res);
      res.status(status).type('html').send(html);
    } catch (renderError) {
      this.logger.error({ err: renderError }, 'admin error page failed');
      res.status(status).type('text').send(fixed.title);
    }
  }
}

function toVitrineError(e: unknown): VitrineError | null {
  if (e instanceof VitrineError) return e;
  if (e instanceof HttpException) {
    const status = e.getStatus();
    if (status === 404) return new VitrineError('not_found', 'admin.not_found', 'Not found.');
    if (status === 413) return new VitrineError('too_large', 'admin.too_large', 'The request is too large.');
    if (status === 400) return new VitrineError('invalid', 'admin.invalid', 'The request is malformed.');
  }
  return null;
}

/** The admin page a form came from (Referer, same site), else the section's list. */
function backTo(req: Request): string {
  const referer = req.get('referer');
  if (referer) {
    try {
      const url = new URL(referer);
      const host = req.get('host');
      if (host && url.host === host && url.pathname.startsWith('/admin')) return `${url.pathname}${url.search}`;
    } catch {
      /* fall through */
    }
  }
  const section = /^\/admin\/[a-z-]+/.exec(req.path)?.[0];
  return section ?? '/admin';
}
