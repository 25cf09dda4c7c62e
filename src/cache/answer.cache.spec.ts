import type { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { AnswerCache } from './answer.cache.js';

/** A fake database answering the data-version query; counts the queries. */
function versionDb(version = { access: 1, content: 1 }) {
  const db = {
    queries: 0,
    version,
    query: async () => {
      db.queries++;
      return [{ access: db.version.access, content: db.version.content }];
    },
  };
  return db as typeof db & Pick<DataSource, 'query'>;
}

describe('AnswerCache', () => {
  it('starts every key with the data version read now, so any change makes older keys unreachable', async () => {
    const db = versionDb();
    const cache = new AnswerCache<string>(db, { ttlMs: 60_000, maxEntries: 10 });
    const key = await cache.key('guest\n/api/v1/photos');
    expect(key).toBe('1:1\nguest\n/api/v1/photos');
    cache.set(key, 'answer');
    expect(cache.get(await cache.key('guest\n/api/v1/photos'))).toBe('answer');
    db.version.content = 2; // a photo changed
    expect(cache.get(await cache.key('guest\n/api/v1/photos'))).toBeUndefined();
    db.version.access = 2; // a grant changed
    expect(await cache.key(Promise.resolve('x'))).toBe('2:2\nx');
    expect(AnswerCache.keyAt('2:2', 'x')).toBe('2:2\nx');
  });

  it('shares one version query between concurrent lookups of every cache on the same database', async () => {
    const db = versionDb();
    const a = new AnswerCache<string>(db, { ttlMs: 1000, maxEntries: 10 });
    const b = new AnswerCache<string>(db, { ttlMs: 1000, maxEntries: 10 });
    await Promise.all([a.key('1'), a.key('2'), b.key('3'), b.readVersion()]);
    expect(db.queries).toBeLessThanOrEqual(2); // one read, plus at most one queued behind it
  });

  it('lets answers be stored only when no write transaction is in flight', async () => {
    let quiet = true;
    const db = { query: async (sql: string) => (sql.includes('pg_locks') ? [{ quiet }] : [{ access: 1, content: 1 }]) } as unknown as Pick<DataSource, 'query'>;
    const cache = new AnswerCache<string>(db, { ttlMs: 1000, maxEntries: 10 });
    expect(await cache.storable()).toBe(true);
    quiet = false; // another backend holds a transaction id: its change may be counted but not visible
    expect(await cache.storable()).toBe(false);
    expect(await new AnswerCache<string>(db, { ttlMs: 0, maxEntries: 10 }).storable()).toBe(false);
    expect(await new AnswerCache<string>({ read: async () => '1:1' }, { ttlMs: 1000, maxEntries: 10 }).storable()).toBe(true);
  });

  it('drops an entry when its TTL ends; TTL 0 disables the cache', () => {
    let now = 1000;
    const cache = new AnswerCache<string>(versionDb(), { ttlMs: 50, maxEntries: 10, now: () => now });
    cache.set('k', 'v');
    now += 49;
    expect(cache.get('k')).toBe('v');
    now += 2;
    expect(cache.get('k')).toBeUndefined();
    const off = new AnswerCache<string>(versionDb(), { ttlMs: 0, maxEntries: 10 });
    expect(off.enabled).toBe(false);
    off.set('k', 'v');
    expect(off.get('k')).toBeUndefined();
    expect(off.size).toBe(0);
  });

  it('keeps at most maxEntries, expired ones going first, then the oldest', () => {
    let now = 0;
    const cache = new AnswerCache<string>(versionDb(), { ttlMs: 100, maxEntries: 3, now: () => now });
    cache.set('old', 'o');
    now = 60;
    cache.set('a', 'a');
    cache.set('b', 'b');
    now = 120; // 'old' has expired; 'a' and 'b' have not
    cache.set('c', 'c');
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBe('a');
    cache.set('d', 'd'); // full of live entries: the oldest ('a') goes
    expect(cache.get('a')).toBeUndefined();
    expect([cache.get('b'), cache.get('c'), cache.get('d')]).toEqual(['b', 'c', 'd']);
  });

  it('refuses values over maxValueSize and keeps the total under maxTotalSize', () => {
    const cache = new AnswerCache<string>(versionDb(), { ttlMs: 1000, maxEntries: 100, sizeOf: (v) => v.length, maxValueSize: 10, maxTotalSize: 20 });
    cache.set('huge', 'x'.repeat(11));
    expect(cache.get('huge')).toBeUndefined();
    cache.set('a', 'a'.repeat(10));
    cache.set('b', 'b'.repeat(10));
    cache.set('c', 'c'.repeat(5)); // 25 > 20: the oldest goes
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe('b'.repeat(10));
    cache.set('b', 'B'); // replacing frees the old size
    cache.set('d', 'd'.repeat(10));
    expect([cache.get('b'), cache.get('c'), cache.get('d')]).toEqual(['B', 'c'.repeat(5), 'd'.repeat(10)]);
    cache.clear();
    expect(cache.size).toBe(0);
    cache.set('e', 'e'.repeat(10));
    cache.set('f', 'f'.repeat(10));
    expect(cache.size).toBe(2); // the total was reset by clear()
  });
});
