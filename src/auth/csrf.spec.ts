import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { assertSameOrigin, hasValidCsrfToken, isForgeable, normalisePath } from './csrf.js';

function req(init: { method?: string; headers?: Record<string, string>; path?: string; body?: unknown; session?: object }): Request {
  const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: init.method ?? 'POST',
    headers,
    path: init.path ?? '/api/v1/things',
    protocol: 'http',
    body: init.body,
    session: init.session,
    get: (name: string) => headers[name.toLowerCase()],
  } as unknown as Request;
}

const allowed = new Set(['https://photos.example.com']);
const login = new Set(['/login', '/api/v1/session']);
const check = (r: Request) => {
  try {
    assertSameOrigin(r, allowed, login);
    return 'ok';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('assertSameOrigin', () => {
  it('refuses cookie-borne writes from other origins or sites', () => {
    expect(check(req({ headers: { cookie: 'a=b', origin: 'https://evil.example' } }))).toBe('csrf.cross_site');
    expect(check(req({ headers: { cookie: 'a=b', origin: 'null' } }))).toBe('csrf.cross_site');
    expect(check(req({ headers: { cookie: 'a=b', 'sec-fetch-site': 'cross-site' } }))).toBe('csrf.cross_site');
    expect(check(req({ headers: { cookie: 'a=b', 'sec-fetch-site': 'same-site' } }))).toBe('csrf.cross_site');
    expect(check(req({ headers: { cookie: 'a=b', origin: 'https://photos.example.com.evil.example' } }))).toBe('csrf.cross_site');
  });

  it('lets through same origin, reads, Bearer keys, cookie-less requests and clients without Origin', () => {
    expect(check(req({ headers: { cookie: 'a=b', origin: 'https://photos.example.com' } }))).toBe('ok');
    expect(check(req({ headers: { cookie: 'a=b', origin: 'http://localhost:3000', host: 'localhost:3000' } }))).toBe('ok');
    expect(check(req({ headers: { cookie: 'a=b', 'sec-fetch-site': 'same-origin' } }))).toBe('ok');
    expect(check(req({ headers: { cookie: 'a=b', 'sec-fetch-site': 'none' } }))).toBe('ok');
    expect(check(req({ method: 'GET', headers: { cookie: 'a=b', origin: 'https://evil.example' } }))).toBe('ok');
    expect(check(req({ headers: { cookie: 'a=b', origin: 'https://evil.example', authorization: 'Bearer vtr_x' } }))).toBe('ok');
    expect(check(req({ headers: { origin: 'https://evil.example' } }))).toBe('ok');
    expect(check(req({ headers: { cookie: 'a=b' } }))).toBe('ok');
  });

  it('checks login paths even without cookies, whatever their case or trailing slash', () => {
    expect(check(req({ path: '/login', headers: { origin: 'https://evil.example' } }))).toBe('csrf.cross_site');
    expect(check(req({ path: '/LOGIN/', headers: { origin: 'https://evil.example' } }))).toBe('csrf.cross_site');
    expect(check(req({ path: '/api/v1/session', headers: { 'sec-fetch-site': 'cross-site' } }))).toBe('csrf.cross_site');
    expect(normalisePath('/Api/V1/Session//')).toBe('/api/v1/session');
  });
});

describe('isForgeable and the synchronizer token', () => {
  it('knows which requests a cross-site page can send without a preflight', () => {
    expect(isForgeable(req({ headers: { 'content-type': 'application/x-www-form-urlencoded' } }))).toBe(true);
    expect(isForgeable(req({ headers: { 'content-type': 'multipart/form-data; boundary=x' } }))).toBe(true);
    expect(isForgeable(req({ headers: { 'content-type': 'text/plain;charset=UTF-8' } }))).toBe(true);
    expect(isForgeable(req({}))).toBe(true);
    expect(isForgeable(req({ headers: { 'content-type': 'application/json' } }))).toBe(false);
    expect(isForgeable(req({ method: 'DELETE' }))).toBe(false);
    expect(isForgeable(req({ method: 'PUT', headers: { 'content-type': 'text/plain' } }))).toBe(false);
  });

  it('compares the presented token with the session one and removes `_csrf` from the body', () => {
    const body = { name: 'x', _csrf: 'tok' };
    expect(hasValidCsrfToken(req({ body, session: { csrfToken: 'tok' } }))).toBe(true);
    expect(body).toEqual({ name: 'x' });
    expect(hasValidCsrfToken(req({ headers: { 'x-csrf-token': 'tok' }, session: { csrfToken: 'tok' } }))).toBe(true);
    expect(hasValidCsrfToken(req({ headers: { 'x-csrf-token': 'to' }, session: { csrfToken: 'tok' } }))).toBe(false);
    expect(hasValidCsrfToken(req({ body: { _csrf: 'tok' }, session: {} }))).toBe(false);
    expect(hasValidCsrfToken(req({ body: { _csrf: ['tok'] }, session: { csrfToken: 'tok' } }))).toBe(false);
  });
});
