import { Inject, Injectable } from '@nestjs/common';
import type { Request, RequestHandler } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { AccessRequest } from '../access/policies.guard.js';
import { intInRange, parseEnv } from '../config/config.js';
import type { SiteRequest } from './site-context.service.js';
import { applySiteHeaders } from './site-headers.js';
import { sendHtml } from './site-response.js';
import { ThemeService } from './theme.service.js';
import { AnswerCache } from '../cache/answer.cache.js';

/** Injection token: how long a rendered anonymous page may be reused (ms; 0 = never). */
export const SITE_PAGE_CACHE_MS = Symbol('SITE_PAGE_CACHE_MS');

const DEFAULT_TTL_MS = 2_000;

/** `SITE_PAGE_CACHE_MS` (0–60000, default 2000) from the environment. */
export function pageCacheMsFromEnv(env: NodeJS.ProcessEnv): number {
  const e = parseEnv(z.object({ SITE_PAGE_CACHE_MS: intInRange(0, 60_000).optional() }), env);
  return e.SITE_PAGE_CACHE_MS ?? DEFAULT_TTL_MS;
}

const MAX_ENTRIES = 500;
const MAX_HTML_CHARS = 512 * 1024;
const MAX_URL_CHARS = 512;

/**
 * A short-lived cache of rendered pages for **anonymous visitors without a session** (the
 * traffic of a public gallery; pages of signed-in users, share visitors and sessions carry
 * per-visitor content and a CSRF token, and are never cached).
 *
 * The key is the data version (access epoch + content version) + the active theme + the URL. The
 * version is read from the database for every request (concurrent requests share one read that
 * started after they arrived, see {@link AnswerCache}), so a permission change (album made
 * private, grant revoked) or a content change (photos, albums, tags) is seen on the very next
 * request, exactly as without the cache. What the version does not cover (site and theme
 * settings, a read between a write and its commit) shows within the TTL (`SITE_PAGE_CACHE_MS`,
 * default 2 s; 0 disables). Only 200 pages are stored; at most 500 entries of at most 512 KiB.
 */
@Injectable()
export class SitePageCache {
  /** On the shared answer cache: keys start with the data version (access epoch + content version). */
  private readonly cache: AnswerCache<string>;

  constructor(
    dataSource: DataSource,
    private readonly themes: ThemeService,
    @Inject(SITE_PAGE_CACHE_MS) private readonly ttlMs: number,
  ) {
    this.cache = new AnswerCache<string>(dataSource, { ttlMs, maxEntries: MAX_ENTRIES, sizeOf: (html) => html.length, maxValueSize: MAX_HTML_CHARS });
  }

  /** The cache key of this request, or null when its page must not be cached (or not stored now). */
  async keyFor(req: Request): Promise<string | null> {
    const key = await this.lookupKey(req);
    // A miss will be rendered and stored: only when no write is in flight (AnswerCache.storable).
    if (key !== null && this.cache.get(key) === undefined && !(await this.cache.storable())) return null;
    return key;
  }

  /** The key to look a page up under, or null when its page must not be cached. */
  private async lookupKey(req: Request): Promise<string | null> {
    if (this.ttlMs === 0 || (req.method !== 'GET' && req.method !== 'HEAD')) return null;
    const principal = (req as AccessRequest).principal;
    if (principal && principal.kind !== 'guest') return null;
    if ((req as SiteRequest).csrfToken?.()) return null; // a session exists: its token is in the page
    if (req.originalUrl.length > MAX_URL_CHARS) return null;
    return this.cache.key(this.themes.activeName().then((theme) => `${theme}\n${req.originalUrl}`));
  }

  /**
   * Express middleware for the very front of the chain (before logging, sessions and routing): a
   * GET with no cookie and no Authorization header is certainly an anonymous visitor without a
   * session, so a stored page for its key is sent at once, with the same headers the site sends.
   * Anything else (and every miss) goes on to the normal pipeline, which stores what it renders.
   */
  fastPath(): RequestHandler {
    return (req, res, next) => {
      if (this.ttlMs === 0 || req.method !== 'GET' || req.headers.cookie !== undefined || req.headers.authorization !== undefined || this.cache.size === 0) return next();
      this.lookupKey(req).then(
        (key) => {
          const html = this.get(key);
          if (html === undefined) return next();
          applySiteHeaders(res);
          sendHtml(res, html);
        },
        () => next(),
      );
    };
  }

  get(key: string | null): string | undefined {
    return key === null ? undefined : this.cache.get(key);
  }

  set(key: string | null, html: string): void {
    if (key !== null) this.cache.set(key, html);
  }

  /** Forgets every page (theme activation, tests). */
  clear(): void {
    this.cache.clear();
  }
}
