import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { HTTP_STATUS_BY_KIND, VitrineError } from '../common/errors.js';
import { LOGGER } from '../common/logger.js';
import { fallbackErrorDocument } from '../themes/builtin-pages.js';
import type { ErrorPageView, ErrorView } from '../themes/theme-view.types.js';
import { SiteContextService } from './site-context.service.js';
import { applySiteHeaders } from './site-headers.js';

const PAGES: Record<number, Omit<ErrorView, 'status'>> = {
  400: { title: 'Bad request', message: 'The address or the form could not be understood.' },
  403: { title: 'Access denied', message: 'You are not allowed to open this page.' },
  404: { title: 'Page not found', message: 'This page does not exist, or it is not visible to you.' },
  500: { title: 'Something went wrong', message: 'The server could not finish this page. Try again in a moment.' },
};

/** The error view for a status: a fixed sentence, never the exception's text or a stack. */
export function errorView(status: number): ErrorView {
  const known = PAGES[status] ?? (status >= 500 ? PAGES[500]! : PAGES[400]!);
  return { status, ...known };
}

/**
 * Renders errors of site routes through the active theme (`error-<status>` → `error` → built-in).
 * A hidden item and a missing one produce byte-identical pages: the body depends only on the
 * status and on the visitor (navigation), never on what was asked for.
 */
@Catch()
@Injectable()
export class SiteErrorFilter implements ExceptionFilter {
  constructor(
    private readonly contexts: SiteContextService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async catch(error: unknown, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const raw = error instanceof VitrineError ? HTTP_STATUS_BY_KIND[error.kind] : error instanceof HttpException ? error.getStatus() : 500;
    const status = raw === 401 ? 403 : raw;
    if (status >= 500) this.logger.error({ err: error, url: req.originalUrl }, 'site page failed');
    if (res.headersSent) return;
    const view = errorView(status);
    let html: string;
    try {
      const ctx = await this.contexts.forRequest(req);
      const page: ErrorPageView = { context: 'error', site: ctx.site, meta: null, error: view };
      html = await ctx.theme.renderError(page);
    } catch (renderError) {
      this.logger.error({ err: renderError, url: req.originalUrl }, 'site error page failed; using the built-in document');
      html = fallbackErrorDocument(view);
    }
    applySiteHeaders(res);
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.send(html);
  }
}
