import { describe, expect, it } from 'vitest';
import { boundSummary, MAX_SUMMARY_CHARS } from './audit.summary.js';

describe('boundSummary', () => {
  it('redacts secrets by key name, at any depth', () => {
    const out = boundSummary({
      username: 'bob',
      password: 'hunter2',
      newPassword: 'x',
      nested: { apiKey: 'vtr_x', token: 't', csrfToken: 'c', keyPrefix: 'abc', passwordHash: 'h' },
    });
    expect(out).toEqual({
      username: 'bob',
      password: '[redacted]',
      newPassword: '[redacted]',
      nested: { apiKey: '[redacted]', token: '[redacted]', csrfToken: '[redacted]', keyPrefix: 'abc', passwordHash: '[redacted]' },
    });
  });

  it('bounds strings, arrays, depth and total size, and strips NUL', () => {
    const out = boundSummary({ long: 'x'.repeat(1000), nul: 'a\u0000b', list: Array.from({ length: 50 }, (_, i) => i), deep: { a: { b: { c: { d: 1 } } } } });
    expect((out.long as string).length).toBe(301);
    expect(out.nul).toBe('ab');
    expect((out.list as unknown[]).length).toBe(21);
    expect(out.deep).toEqual({ a: { b: { c: '[nested]' } } });
    const huge = boundSummary(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'y'.repeat(300)])));
    expect(huge.truncated).toBe(true);
    expect(JSON.stringify(huge).length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
  });

  it('keeps dates and odd numbers storable', () => {
    expect(boundSummary({ at: new Date(0), n: Number.NaN, big: 10n })).toEqual({ at: '1970-01-01T00:00:00.000Z', n: null, big: '10' });
    expect(boundSummary(undefined)).toEqual({});
  });
});
