import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { AccessScope } from '../access/access-scope.js';
import type { Principal } from '../access/principal.js';
import { VisibilityService } from '../access/visibility.service.js';
import { AnswerCache } from '../cache/answer.cache.js';
import { intInRange, parseEnv } from '../config/config.js';

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
    const { scope, version } = await this.visibility.scopeWithVersion(principal);
    const cacheable = this.cache.enabled && req.method === 'GET' && req.originalUrl.length <= MAX_URL_CHARS;
    const key = cacheable ? AnswerCache.keyAt(version, `${scope.cacheKey()}\n${req.originalUrl}`) : undefined;
    let answer = key === undefined ? undefined : this.cache.get(key);
    if (!answer) {
      const body = Buffer.from(JSON.stringify(await compute(scope)), 'utf8');
      const etagFn = req.app.get('etag fn') as ((body: Buffer, encoding?: string) => string) | undefined;
      answer = { body, etag: etagFn ? etagFn(body) : '' };
      if (key !== undefined) this.cache.set(key, answer);
    }
    sendJson(res, answer);
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

/** Sends a serialised answer; Express answers 304 itself when `If-None-Match` matches the ETag. */
function sendJson(res: Response, answer: CachedJson): void {
  if (answer.etag) res.setHeader('ETag', answer.etag);
  res.type('application/json');
  res.send(answer.body);
}
