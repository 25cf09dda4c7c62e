import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { AccessScope } from '../access/access-scope.js';
import { isAdmin, type Principal } from '../access/principal.js';
import { VisibilityService } from '../access/visibility.service.js';
import { AnswerCache } from '../cache/answer.cache.js';
import { intInRange, parseEnv } from '../config/config.js';
import { principalOf } from './api-request.js';

/** Injection token: how long a REST listing answer may be reused (ms; 0 = never). */
export const API_ANSWER_CACHE_MS = Symbol('API_ANSWER_CACHE_MS');

const DEFAULT_TTL_MS = 2_000;
const MAX_URL_CHARS = 1024;

/** `API_ANSWER_CACHE_MS` (0–60000, default 2000) from the environment. */
export function apiAnswerCacheMsFromEnv(env: NodeJS.ProcessEnv): number {
  const e = parseEnv(z.object({ API_ANSWER_CACHE_MS: intInRange(0, 60_000).optional() }), env);
  return e.API_ANSWER_CACHE_MS ?? DEFAULT_TTL_MS;
}

/** A serialised JSON answer and its (weak) ETag. */
export interface CachedJson {
  body: Buffer;
  etag: string;
}

/**
 * The answer cache of REST GET listings (`GET /photos`, `/tags`, `/tags/:slug/photos`, `/albums`),
 * on the shared {@link AnswerCache}. Key: data version + the principal's **visibility scope**
 * (`AccessScope.cacheKey()`: privacy level and visible album ids, or "everything") + the request
 * URL. The answer of these routes is a function of exactly that, so two principals who see the
 * same things share entries and a principal with another visibility never meets them; a grant,
 * a revocation or a private photo changes the version (and, for grants, the scope) on the very
 * next request.
 *
 * Entries hold the serialised body and its ETag, so a hit costs the scope and version read (one
 * shared query) and a write; `If-None-Match` still gets its 304 (Express compares the ETag set
 * here). Only successful answers are stored: callers validate the query before calling
 * {@link send} (so a rule that depends on the role, not the scope, runs before any lookup).
 */
@Injectable()
export class ApiAnswerCache {
  private readonly cache: AnswerCache<CachedJson>;

  constructor(
    dataSource: DataSource,
    private readonly visibility: VisibilityService,
    @Optional() @Inject(API_ANSWER_CACHE_MS) ttlMs: number = DEFAULT_TTL_MS,
  ) {
    this.cache = new AnswerCache<CachedJson>(dataSource, {
      ttlMs,
      maxEntries: 1000,
      sizeOf: (v) => v.body.length,
      maxValueSize: 4 * 1024 * 1024,
      maxTotalSize: 64 * 1024 * 1024,
    });
  }

  /**
   * Answers a GET listing with the JSON of `compute(scope)` for this principal: from the cache
   * when the data version, the scope and the URL match, else computed, sent and kept.
   */
  async send(req: Request, res: Response, principal: Principal, compute: (scope: AccessScope) => Promise<unknown>): Promise<void> {
    const { scope, key } = await this.lookupKey(req, principal);
    let answer = key === undefined ? undefined : this.cache.get(key);
    if (!answer) {
      const storable = key !== undefined && (await this.cache.storable()); // before computing: see AnswerCache.storable
      const body = Buffer.from(JSON.stringify(await compute(scope)), 'utf8');
      const etagFn = req.app.get('etag fn') as ((body: Buffer, encoding?: string) => string) | undefined;
      answer = { body, etag: etagFn ? etagFn(body) : '' };
      if (storable) this.cache.set(key, answer);
    }
    sendJson(res, answer);
  }

  /**
   * Express middleware for after the auth chain (the principal is known) and before Nest's
   * routing: a GET of a cached listing route whose answer is stored for this principal's scope
   * and URL is sent at once, with the headers the API sends (ApiCacheInterceptor), skipping the
   * router, guards, interceptors and validation — which ran, with this same URL and an equal
   * scope, when the entry was stored. Everything else (and every miss) goes on unchanged.
   */
  fastPath(): RequestHandler {
    return (req, res, next) => {
      if (req.method !== 'GET' || !this.cache.enabled || this.cache.size === 0 || !isCachedListing(req.path)) return next();
      this.lookupKey(req, principalOf(req)).then(
        ({ key }) => {
          const hit = key === undefined ? undefined : this.cache.get(key);
          if (!hit) return next();
          res.setHeader('Cache-Control', 'private, no-cache');
          res.vary('Cookie').vary('Authorization');
          sendJson(res, hit);
        },
        () => next(),
      );
    };
  }

  /**
   * The scope (read with the data version, one shared query) and the cache key of this request,
   * or no key when it must not be cached. The key names everything the answer depends on: data
   * version, visibility scope, URL — and whether the principal is an administrator, the one role
   * rule of these routes that the scope does not show (editors share the `all` scope but may not
   * filter by privacy level).
   */
  private async lookupKey(req: Request, principal: Principal): Promise<{ scope: AccessScope; key: string | undefined }> {
    const { scope, version } = await this.visibility.scopeWithVersion(principal);
    const cacheable = this.cache.enabled && req.method === 'GET' && req.originalUrl.length <= MAX_URL_CHARS;
    const who = isAdmin(principal) ? `${scope.cacheKey()}+admin` : scope.cacheKey();
    return { scope, key: cacheable ? AnswerCache.keyAt(version, `${who}\n${req.originalUrl}`) : undefined };
  }

  /** Forgets every answer (tests, maintenance). Correctness never depends on it. */
  clear(): void {
    this.cache.clear();
  }

  /** Entries kept (tests). */
  get size(): number {
    return this.cache.size;
  }
}

/** Paths of the routes that answer through {@link ApiAnswerCache.send}. */
function isCachedListing(path: string): boolean {
  return path === '/api/v1/photos' || path === '/api/v1/tags' || path === '/api/v1/albums' || /^\/api\/v1\/tags\/[^/]+\/photos$/.test(path);
}

/** Sends a serialised answer; Express answers 304 itself when `If-None-Match` matches the ETag. */
function sendJson(res: Response, answer: CachedJson): void {
  if (answer.etag) res.setHeader('ETag', answer.etag);
  res.type('application/json');
  res.send(answer.body);
}
