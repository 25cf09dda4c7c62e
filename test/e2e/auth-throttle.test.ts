import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formToken, loginJson, startAuthApp, type AuthTestApp } from './auth-support.js';

const PW = 'correct horse battery';

describe('login throttling', () => {
  let a: AuthTestApp;
  beforeAll(async () => {
    a = await startAuthApp();
    await a.users.create({ username: 'dave', password: PW });
    await a.users.create({ username: 'frank', password: PW });
  });
  afterAll(() => a?.close());

  const attempt = (username: string, password: string, ip: string) => loginJson(request.agent(a.server), username, password, ip);

  it('answers 429 with Retry-After after 5 failures for one account, from any IP, even with the right password', async () => {
    for (let i = 0; i < 5; i++) await attempt('dave', 'wrong password', `198.51.100.${i}`).expect(401);
    const blocked = await attempt('dave', PW, '198.51.100.99').expect(429);
    expect(blocked.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(blocked.body.code).toBe('auth.throttled');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(900);
    // Unknown accounts are throttled the same way (no hint about which exist).
    for (let i = 0; i < 5; i++) await attempt('ghost', 'wrong password', `198.51.100.${i}`).expect(401);
    await attempt('ghost', 'wrong password', '198.51.100.99').expect(429);
    // Other accounts are not affected; the window passes.
    await attempt('frank', PW, '198.51.100.99').expect(200);
    a.advance(15 * 60_000 + 1000);
    await attempt('dave', PW, '198.51.100.99').expect(200);
  });

  it('answers 429 after 20 failures from one IP, whatever the account', async () => {
    for (let i = 0; i < 20; i++) await attempt(`nobody${i}`, 'wrong password', '192.0.2.50').expect(401);
    const blocked = await attempt('frank', PW, '192.0.2.50').expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    await attempt('frank', PW, '192.0.2.51').expect(200);
  });

  it('the HTML form re-renders with 429 and Retry-After', async () => {
    for (let i = 0; i < 5; i++) await attempt('frank', 'wrong password', `203.0.113.${100 + i}`).expect(401);
    const agent = request.agent(a.server);
    const page = await agent.get('/login').expect(200);
    const res = await agent.post('/login').set('X-Forwarded-For', '203.0.113.200').type('form').send({ username: 'frank', password: PW, _csrf: formToken(page.text) }).expect(429);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.text).toContain('Too many failed logins');
  });
});
