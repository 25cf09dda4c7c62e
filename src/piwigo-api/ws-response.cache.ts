import type { DataSource } from 'typeorm';
import type { WsContext, WsHttpResponse, WsInvocation, WsResponseCache } from '../piwigo/index.js';
import { wsPrincipal } from './ws-context.factory.js';
import { AnswerCache } from '../cache/answer.cache.js';

/** Read methods whose answer depends only on the principal, the params and the data. */
export const WS_CACHEABLE_METHODS: ReadonlySet<string> = new Set([
  'pwg.categories.getImages',
  'pwg.categories.getList',
  'pwg.tags.getList',
  'pwg.tags.getImages',
]);

export interface WsAnswerCacheOptions {
  /** Longest life of an entry (backstop for a write read mid-transaction). Default 2000 ms. */
  ttlMs?: number;
  maxEntries?: number;
  /** Larger answers are not kept. Default 4 MiB. */
  maxBodyBytes?: number;
  now?: () => number;
}

/**
 * ws.php's answer cache (what makes `pwg.categories.getImages` cheap under load), on the shared
 * {@link AnswerCache}: encoded answers of {@link WS_CACHEABLE_METHODS}, keyed by the **data
 * version** (access epoch + `ws_content_version`, see AnswerCache) and the principal (guest, or
 * user id + role + privacy level + key scopes; share-link visitors are never cached), format,
 * method and params. One small shared query per burst of calls; a change is seen by the next
 * request. The TTL bounds the one remaining window (a read between a write statement and its commit).
 */
export class WsAnswerCache implements WsResponseCache {
  private readonly cache: AnswerCache<WsHttpResponse>;

  constructor(dataSource: Pick<DataSource, 'query'>, options: WsAnswerCacheOptions = {}) {
    this.cache = new AnswerCache<WsHttpResponse>(dataSource, {
      ttlMs: options.ttlMs ?? 2000,
      maxEntries: options.maxEntries ?? 500,
      sizeOf: (r) => r.body.length,
      maxValueSize: options.maxBodyBytes ?? 4 * 1024 * 1024,
      maxTotalSize: 64 * 1024 * 1024,
      now: options.now,
    });
  }

  async key(invocation: WsInvocation, ctx: WsContext): Promise<string | undefined> {
    if (!invocation.methodName || !WS_CACHEABLE_METHODS.has(invocation.methodName) || invocation.files.length > 0) return undefined;
    const principal = wsPrincipal(ctx);
    let who: string;
    if (principal.kind === 'guest') who = 'g';
    else if (principal.kind === 'user') who = `u${principal.userId}:${principal.role}:${principal.privacyLevel}:${principal.apiKey?.scopes.join('+') ?? ''}`;
    else return undefined; // share links expire with time: never cached
    const key = await this.cache.key(`${who}|${invocation.format}|${invocation.methodName}|${JSON.stringify(invocation.params)}`);
    // A miss will be computed and stored: only when no write is in flight (AnswerCache.storable).
    if (this.cache.get(key) === undefined && !(await this.cache.storable())) return undefined;
    return key;
  }

  get(key: string): WsHttpResponse | undefined {
    return this.cache.get(key);
  }

  set(key: string, response: WsHttpResponse): void {
    this.cache.set(key, response);
  }

  /** Drops everything (tests, maintenance). */
  clear(): void {
    this.cache.clear();
  }
}
