import type { DataSource } from 'typeorm';
import type { WsContext, WsHttpResponse, WsInvocation, WsResponseCache } from '../piwigo/index.js';
import { wsPrincipal } from './ws-context.factory.js';
import { dataVersionReader, type FreshReader } from '../database/data-version.js';

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
 * ws.php's answer cache (what makes `pwg.categories.getImages` cheap under load): encoded answers
 * of {@link WS_CACHEABLE_METHODS}, keyed by principal (guest, or user id + role + privacy level +
 * key scopes; share-link visitors are never cached), format, method, params and the **data
 * version** = access epoch (bumped in the transaction of every permission change) + the
 * `ws_content_version` sequence (advanced by triggers on photos, album_photos, albums, tags,
 * photo_tags). One small query per cacheable call; a change is seen by the next request. The TTL
 * bounds the one remaining window (a read between a write statement and its commit).
 */
export class WsAnswerCache implements WsResponseCache {
  private readonly entries = new Map<string, { at: number; response: WsHttpResponse }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxBodyBytes: number;
  private readonly now: () => number;
  private readonly version: FreshReader<string>;

  constructor(dataSource: DataSource, options: WsAnswerCacheOptions = {}) {
    this.version = dataVersionReader(dataSource);
    this.ttlMs = options.ttlMs ?? 2000;
    this.maxEntries = options.maxEntries ?? 500;
    this.maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  async key(invocation: WsInvocation, ctx: WsContext): Promise<string | undefined> {
    if (!invocation.methodName || !WS_CACHEABLE_METHODS.has(invocation.methodName) || invocation.files.length > 0) return undefined;
    const principal = wsPrincipal(ctx);
    let who: string;
    if (principal.kind === 'guest') who = 'g';
    else if (principal.kind === 'user') who = `u${principal.userId}:${principal.role}:${principal.privacyLevel}:${principal.apiKey?.scopes.join('+') ?? ''}`;
    else return undefined; // share links expire with time: never cached
    return `${await this.version.read()}|${who}|${invocation.format}|${invocation.methodName}|${JSON.stringify(invocation.params)}`;
  }

  get(key: string): WsHttpResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.response;
  }

  set(key: string, response: WsHttpResponse): void {
    if (response.body.length > this.maxBodyBytes) return;
    if (this.entries.size >= this.maxEntries) {
      for (const [k, e] of this.entries) if (this.now() - e.at > this.ttlMs) this.entries.delete(k);
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, { at: this.now(), response });
  }

  /** Drops everything (tests, maintenance). */
  clear(): void {
    this.entries.clear();
  }
}
