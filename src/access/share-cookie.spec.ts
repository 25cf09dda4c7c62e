import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SHARE_COOKIE_MAX_AGE_MS, signShareCookie, verifyShareCookie } from './share-cookie.js';

describe('share cookie', () => {
  const secret = randomBytes(32);

  it('round-trips the link id', () => {
    expect(verifyShareCookie(signShareCookie(42, secret), secret)).toBe(42);
  });

  it('refuses tampered ids, other secrets, expired and malformed values', () => {
    const value = signShareCookie(42, secret);
    expect(verifyShareCookie(value.replace(/^42/, '43'), secret)).toBeNull();
    expect(verifyShareCookie(value, randomBytes(32))).toBeNull();
    expect(verifyShareCookie(value, secret, Date.now() + SHARE_COOKIE_MAX_AGE_MS + 1000)).toBeNull();
    expect(verifyShareCookie('42', secret)).toBeNull();
    expect(verifyShareCookie(undefined, secret)).toBeNull();
  });
});
