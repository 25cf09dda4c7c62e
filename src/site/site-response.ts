import type { Request, Response } from 'express';
import type { Theme } from '../themes/theme.loader.js';
import type { PageView } from '../themes/theme-view.types.js';

/**
 * Sends a rendered page. Pages depend on who is asking (cookies), so shared caches must not keep
 * them; browsers revalidate.
 */
export async function sendPage(res: Response, theme: Theme, page: PageView, status = 200): Promise<void> {
  sendHtml(res, await theme.renderPage(page), status);
}

/** Sends an already rendered page with the page headers of {@link sendPage}. */
export function sendHtml(res: Response, html: string, status = 200): void {
  res.status(status).type('html');
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('Vary', 'Cookie');
  res.send(html);
}

/**
 * A 301 whose target depends on who is asking (the canonical URL of a private album names its
 * slug for those who may see it): kept out of shared caches, like the pages themselves. A bare
 * 301 would be cached by proxies and browsers by default.
 */
export function sendVisitorRedirect(res: Response, url: string): void {
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('Vary', 'Cookie');
  res.redirect(301, url);
}

export { readCookie } from '../common/cookies.js';

/**
 * Whether a form POST comes from our own pages: `Sec-Fetch-Site` (when sent) must be
 * `same-origin` or `none`, and `Origin` (when sent) must be the public origin or the request's own.
 * Clients that send neither (curl) pass; browsers always send at least one on cross-site POSTs.
 */
export function isSameOriginPost(req: Request, publicUrl: string): boolean {
  const site = req.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  if (origin === undefined) return true;
  const allowed = new Set([new URL(publicUrl).origin, `${req.protocol}://${req.get('host') ?? ''}`]);
  return allowed.has(origin);
}
