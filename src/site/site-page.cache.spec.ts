import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../access/principal.js';
import { FreshReader } from '../database/data-version.js';
import { pageCacheMsFromEnv, SitePageCache } from './site-page.cache.js';
import type { ThemeService } from './theme.service.js';

function cacheWith(ttlMs: number, epoch = { value: 7 }, theme = { name: 'default' }): SitePageCache {
  // Answers the data-version read and the "no write in flight" check (AnswerCache.storable).
  const dataSource = { query: async () => [{ access: epoch.value, content: 3, quiet: true }] } as unknown as DataSource;
  const themes = { activeName: async () => theme.name } as unknown as ThemeService;
  return new SitePageCache(dataSource, themes, ttlMs);
}

function req(over: { method?: string; url?: string; principal?: Principal; token?: string } = {}): Request {
  return {
    method: over.method ?? 'GET',
    originalUrl: over.url ?? '/albums/1-a',
    principal: over.principal,
    csrfToken: () => over.token ?? '',
  } as unknown as Request;
}

describe('SitePageCache', () => {
  afterEach(() => vi.useRealTimers());

  it('keys anonymous GETs by data version (access epoch + content version), theme and URL', async () => {
    const epoch = { value: 7 };
    const theme = { name: 'default' };
    const cache = cacheWith(2000, epoch, theme);
    const key = await cache.keyFor(req({ principal: { kind: 'guest', role: 'guest', privacyLevel: 0 } }));
    expect(key).toBe('7:3\ndefault\n/albums/1-a');
    expect(await cache.keyFor(req({ url: '/albums/1-a?page=2' }))).not.toBe(key);
    epoch.value = 8;
    expect(await cache.keyFor(req())).not.toBe(key);
    theme.name = 'portfolio';
    expect(await cache.keyFor(req())).toBe('8:3\nportfolio\n/albums/1-a');
  });

  it('never caches signed-in users, share visitors, sessions, writes, long URLs, or with TTL 0', async () => {
    const cache = cacheWith(2000);
    expect(await cache.keyFor(req({ principal: { kind: 'user', userId: 1, username: 'a', role: 'member', privacyLevel: 0 } }))).toBeNull();
    expect(await cache.keyFor(req({ principal: { kind: 'share', shareLinkId: 1, role: 'guest', privacyLevel: 0 } as unknown as Principal }))).toBeNull();
    expect(await cache.keyFor(req({ token: 'session-token' }))).toBeNull();
    expect(await cache.keyFor(req({ method: 'POST' }))).toBeNull();
    expect(await cache.keyFor(req({ url: `/search?q=${'x'.repeat(600)}` }))).toBeNull();
    expect(await cacheWith(0).keyFor(req())).toBeNull();
  });

  it('serves a page until the TTL ends', () => {
    vi.useFakeTimers();
    const cache = cacheWith(2000);
    cache.set('k', '<p>page</p>');
    expect(cache.get('k')).toBe('<p>page</p>');
    vi.advanceTimersByTime(1999);
    expect(cache.get('k')).toBe('<p>page</p>');
    vi.advanceTimersByTime(2);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.get(null)).toBeUndefined();
  });

  it('keeps at most 500 entries, dropping the oldest, and skips huge pages', () => {
    const cache = cacheWith(60_000);
    for (let i = 0; i < 501; i++) cache.set(`k${i}`, `p${i}`);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k1')).toBe('p1');
    expect(cache.get('k500')).toBe('p500');
    cache.set('big', 'x'.repeat(600 * 1024));
    expect(cache.get('big')).toBeUndefined();
    cache.clear();
    expect(cache.get('k1')).toBeUndefined();
  });

  it('reads SITE_PAGE_CACHE_MS (default 2000, 0 disables) and refuses bad values', () => {
    expect(pageCacheMsFromEnv({})).toBe(2000);
    expect(pageCacheMsFromEnv({ SITE_PAGE_CACHE_MS: '0' })).toBe(0);
    expect(pageCacheMsFromEnv({ SITE_PAGE_CACHE_MS: '500' })).toBe(500);
    expect(() => pageCacheMsFromEnv({ SITE_PAGE_CACHE_MS: '-1' })).toThrow(/SITE_PAGE_CACHE_MS/);
    expect(() => pageCacheMsFromEnv({ SITE_PAGE_CACHE_MS: 'soon' })).toThrow(/SITE_PAGE_CACHE_MS/);
  });
});

describe('FreshReader', () => {
  it('gives every caller a read that started after it called, sharing reads under load', async () => {
    let value = 0;
    let started = 0;
    const gates: (() => void)[] = [];
    const reader = new FreshReader(async () => {
      started++;
      const seen = value; // what the database holds when the read starts
      await new Promise<void>((resolve) => gates.push(resolve));
      return seen;
    });
    const a = reader.read(); // read 1 starts now
    value = 1; // a change commits while read 1 is in flight
    const b = reader.read(); // must not get read 1's (older) answer
    const c = reader.read(); // shares b's read
    expect(started).toBe(1);
    gates.shift()!();
    expect(await a).toBe(0);
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toBe(2);
    gates.shift()!();
    expect(await b).toBe(1);
    expect(await c).toBe(1);
    expect(started).toBe(2);
    // Idle again: the next caller starts a fresh read at once.
    value = 2;
    const d = reader.read();
    expect(started).toBe(3);
    gates.shift()!();
    expect(await d).toBe(2);
  });

  it('recovers after a failed read', async () => {
    let fail = true;
    const reader = new FreshReader(async () => {
      if (fail) throw new Error('db down');
      return 'ok';
    });
    await expect(reader.read()).rejects.toThrow('db down');
    fail = false;
    await expect(reader.read()).resolves.toBe('ok');
  });
});
