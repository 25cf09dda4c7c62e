import { describe, expect, it } from 'vitest';
import { AccessScope } from './access-scope.js';

describe('AccessScope.cacheKey', () => {
  it('is equal exactly for scopes that see the same things', () => {
    const albums = [1, 2, 5];
    expect(new AccessScope(albums, 0).cacheKey()).toBe(new AccessScope([1, 2, 5], 0).cacheKey());
    const keys = [
      new AccessScope([1, 2, 5], 0),
      new AccessScope([1, 2, 5], 4), // another privacy level
      new AccessScope([1, 2], 0), // one album fewer
      new AccessScope([1, 25], 0), // not confused with [1, 2, 5] once joined
      new AccessScope([], 0, [7]), // a selection share link
      new AccessScope([], 0, [8]),
      new AccessScope([], 0),
      new AccessScope(null, 8, null, true), // administrators and editors
    ].map((s) => s.cacheKey());
    expect(new Set(keys).size).toBe(keys.length);
    expect(new AccessScope(null, 8, null, true).cacheKey()).toBe('all');
  });

  it('hashes long album lists and still tells them apart', () => {
    const many = Array.from({ length: 500 }, (_, i) => i + 1);
    const key = new AccessScope(many, 0).cacheKey();
    expect(key.length).toBeLessThan(80);
    expect(new AccessScope([...many], 0).cacheKey()).toBe(key);
    expect(new AccessScope([...many.slice(0, -1), 999], 0).cacheKey()).not.toBe(key);
  });
});
