import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject, NotFoundException, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { HTTP_STATUS_BY_KIND, VitrineError } from './errors.js';
import { HTML_ERROR_PAGES, type HtmlErrorPages, wantsHtmlNotFound } from './html-error-pages.js';
import { LOGGER } from './logger.js';

/** The RFC 9457 body every error answer of the HTTP API has. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Stable machine-readable code, e.g. `album.not_found`. */
  code: string;
  instance?: string;
  errors?: { path: string; message: string }[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Content Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

/** Turns any error into a problem+json body and status. Unknown errors become a logged 500. */
export function toProblem(error: unknown, instance?: string): ProblemDetails {
  if (error instanceof VitrineError) {
    const status = HTTP_STATUS_BY_KIND[error.kind];
    return {
      type: `https://vitrine.dev/problems/${error.code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail: error.message,
      code: error.code,
      instance,
      ...(error.fields?.length ? { errors: error.fields } : {}),
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const detail = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? error.message);
    const code = status === 404 ? 'route.not_found' : `http.${status}`;
    return { type: `https://vitrine.dev/problems/${code}`, title: TITLES[status] ?? 'Error', status, detail, code, instance };
  }
  return {
    type: 'https://vitrine.dev/problems/internal',
    title: TITLES[500]!,
    status: 500,
    detail: 'Something went wrong on our side. The error has been logged.',
    code: 'internal',
    instance,
  };
}

/**
 * Global exception filter for HTTP routes: one error shape everywhere. Exception: a GET for a path
 * no route matches, outside the machine paths (`/api`, `/media`, `/ws.php`, …), is a visitor's
 * mistyped URL and gets the site's themed 404 page ({@link HTML_ERROR_PAGES}) when one is provided.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(HTML_ERROR_PAGES) private readonly pages?: HtmlErrorPages,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void | Promise<void> {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (this.pages && error instanceof NotFoundException && wantsHtmlNotFound(req.method, req.path)) return this.pages.catch(error, host);
    const problem = toProblem(error, req.originalUrl);
    if (problem.status >= 500) this.logger.error({ err: error, url: req.originalUrl }, 'request failed');
    if (res.headersSent) return;
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
