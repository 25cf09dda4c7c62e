import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { VitrineError } from '../common/errors.js';
import { bearerToken, SAFE_METHODS } from './auth.types.js';

/** Form field and header that carry the synchronizer token. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Where the CSRF middleware leaves the token the request presented (the `_csrf` field is removed from the body). */
const PRESENTED = Symbol('vitrine.csrfPresented');
type WithPresented = Request & { [PRESENTED]?: string | null };

/**
 * The session's CSRF token, created on first use. Put it in a hidden `_csrf` field of every POST
 * form (or send it as `X-CSRF-Token`). Creating it starts a session (a cookie and a row), so call
 * it only for pages that hold a form. Null when the request has no session support (Bearer keys).
 */
export function csrfTokenFor(req: Request): string | null {
  if (!req.session) return null;
  req.session.csrfToken ??= randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

/** The token of the current session if it has one, without creating a session. */
export function existingCsrfToken(req: Request): string | null {
  return req.session?.csrfToken ?? null;
}

/** Takes the presented token out of the header or the parsed body (removing `_csrf` so strict body schemas pass). */
export function takePresentedToken(req: Request): string | null {
  const r = req as WithPresented;
  if (r[PRESENTED] !== undefined) return r[PRESENTED];
  const header = req.headers[CSRF_HEADER];
  let token = typeof header === 'string' ? header : null;
  const body = req.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body) && CSRF_FIELD in body) {
    const field = body[CSRF_FIELD];
    delete body[CSRF_FIELD];
    token ??= typeof field === 'string' ? field : '';
  }
  r[PRESENTED] = token;
  return token;
}

/** Whether the request presented this session's token (constant-time comparison). */
export function hasValidCsrfToken(req: Request): boolean {
  const expected = existingCsrfToken(req);
  const given = takePresentedToken(req);
  if (!expected || !given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether a cross-site page could make a browser send this request without a CORS preflight
 * (which Vitrine never grants): a POST whose body is a form, multipart, plain text, or absent.
 */
export function isForgeable(req: Request): boolean {
  if (req.method !== 'POST') return false;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === '' || type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data' || type === 'text/plain';
}

/**
 * Origin / Fetch-Metadata check for state-changing requests. Applies to unsafe methods that ride
 * on cookies (or log in), not to Bearer-key requests, requests without cookies, or clients that
 * send neither `Origin` nor `Sec-Fetch-Site` (desktop apps, scripts).
 * @throws VitrineError forbidden `csrf.cross_site`
 */
export function assertSameOrigin(req: Request, allowedOrigins: ReadonlySet<string>, alwaysCheckPaths: ReadonlySet<string>): void {
  if (SAFE_METHODS.has(req.method)) return;
  if (bearerToken(req) !== null) return;
  if (!req.headers.cookie && !alwaysCheckPaths.has(normalisePath(req.path))) return;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const host = req.get('host');
    if (allowedOrigins.has(origin) || (host && origin === `${req.protocol}://${host}`)) return;
    throw crossSite();
  }
  const site = req.headers['sec-fetch-site'];
  if (site === undefined || site === 'same-origin' || site === 'none') return;
  throw crossSite();
}

/** Express matches routes case-insensitively and with an optional trailing slash: compare the same way. */
export function normalisePath(path: string): string {
  return path.toLowerCase().replace(/\/+$/, '') || '/';
}

function crossSite(): VitrineError {
  return new VitrineError('forbidden', 'csrf.cross_site', 'Cross-site requests cannot change anything here.');
}

/** The error for a missing or wrong synchronizer token. */
export function csrfTokenError(): VitrineError {
  return new VitrineError('forbidden', 'csrf.token_invalid', 'The form has expired or did not come from this site. Reload the page and try again.');
}
