import type { DataSource } from 'typeorm';
import { noWriteInFlight, sharedDataVersion } from '../database/data-version.js';

/** Where the data version comes from: a reader whose answer started after the call (see FreshReader). */
export interface DataVersionSource {
  read(): Promise<string>;
}

export interface AnswerCacheOptions<V> {
  /**
   * Longest life of an entry, in ms: the bound on what the data version does not cover (a read
   * between a write statement and its commit, settings outside the version). 0 disables the cache.
   */
  ttlMs: number;
  /** Most entries kept; the oldest go first. */
  maxEntries: number;
  /** Size of a value (bytes or characters), for the two limits below. Default: every value is 1. */
  sizeOf?: (value: V) => number;
  /** Larger values are not kept. */
  maxValueSize?: number;
  /** Sum of the sizes kept; the oldest entries go first when a new one would pass it. */
  maxTotalSize?: number;
  /** Clock (tests). Default `Date.now()`. */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  size: number;
  expires: number;
}

/**
 * The one answer cache behind ws.php's `WsAnswerCache`, the site's `SitePageCache` and the REST
 * API's `ApiAnswerCache`: finished answers (encoded bodies, rendered pages) kept in memory under
 * a key that starts with the **data version** — access epoch (bumped in the transaction of every
 * permission change) + `ws_content_version` (advanced by triggers on photos, album_photos,
 * albums, tags, photo_tags). The version is read for every lookup (concurrent callers share one
 * read that started after they called), so any committed change makes every older key
 * unreachable on the very next request; entries then age out (TTL, size limits).
 *
 * What the rest of the key holds is the caller's contract, and it is what makes a cache safe:
 * everything the answer depends on besides the data — who asks (their visibility scope, or
 * "anonymous"), the format, the URL or parameters. A caller that cannot name all of it must not
 * cache (return no key).
 */
export class AnswerCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private totalSize = 0;
  private readonly version: DataVersionSource;
  private readonly db: Pick<DataSource, 'query'> | undefined;
  private readonly sizeOf: (value: V) => number;
  private readonly maxValueSize: number;
  private readonly maxTotalSize: number;
  private readonly now: () => number;

  constructor(
    source: Pick<DataSource, 'query'> | DataVersionSource,
    private readonly options: AnswerCacheOptions<V>,
  ) {
    this.version = 'read' in source ? source : sharedDataVersion(source);
    this.db = 'read' in source ? undefined : source;
    this.sizeOf = options.sizeOf ?? (() => 1);
    this.maxValueSize = options.maxValueSize ?? Number.POSITIVE_INFINITY;
    this.maxTotalSize = options.maxTotalSize ?? Number.POSITIVE_INFINITY;
    this.now = options.now ?? (() => Date.now());
  }

  /** False when the TTL is 0: `get` finds nothing and `set` keeps nothing. */
  get enabled(): boolean {
    return this.options.ttlMs > 0;
  }

  /** The current data version (a read that started after this call). */
  readVersion(): Promise<string> {
    return this.version.read();
  }

  /**
   * The full key of an answer: the data version read now + `parts` (everything else the answer
   * depends on). `parts` may be a promise, resolved alongside the version read.
   */
  async key(parts: string | Promise<string>): Promise<string> {
    const [version, rest] = await Promise.all([this.version.read(), parts]);
    return AnswerCache.keyAt(version, rest);
  }

  /** The key for a data version the caller already read (e.g. with the visibility scope). */
  static keyAt(version: string, parts: string): string {
    return `${version}\n${parts}`;
  }

  /**
   * Whether an answer computed from now on may be stored under a key whose version was read
   * before this call. Call it on a miss, BEFORE computing. The content part of the version is a
   * sequence advanced by triggers at statement time, i.e. before the writing transaction commits:
   * an answer computed meanwhile would hold the old rows under the new version and outlive the
   * commit (until the TTL). When no write transaction is open now, every change counted in the
   * version read earlier has ended and is visible to the computation. On Postgres this looks for
   * another backend holding a transaction id (every transaction that wrote holds one until it
   * ends); on PGlite (one session) it is always true. Not storing is always safe: the answer is
   * still sent.
   */
  async storable(): Promise<boolean> {
    if (!this.enabled) return false;
    if (!this.db) return true;
    return noWriteInFlight(this.db);
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > this.now()) return entry.value;
    this.drop(key, entry);
    return undefined;
  }

  set(key: string, value: V): void {
    if (!this.enabled) return;
    const size = this.sizeOf(value);
    if (size > this.maxValueSize || size > this.maxTotalSize) return;
    const old = this.entries.get(key);
    if (old) this.drop(key, old);
    if (this.entries.size >= this.options.maxEntries || this.totalSize + size > this.maxTotalSize) this.sweepExpired();
    for (const [k, e] of this.entries) {
      if (this.entries.size < this.options.maxEntries && this.totalSize + size <= this.maxTotalSize) break;
      this.drop(k, e); // oldest first (insertion order)
    }
    this.entries.set(key, { value, size, expires: this.now() + this.options.ttlMs });
    this.totalSize += size;
  }

  /** Forgets everything (theme activation, maintenance, tests). */
  clear(): void {
    this.entries.clear();
    this.totalSize = 0;
  }

  /** Entries kept (expired ones may still count until looked up or swept). */
  get size(): number {
    return this.entries.size;
  }

  private sweepExpired(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expires <= now) this.drop(k, e);
  }

  private drop(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.totalSize -= entry.size;
  }
}
