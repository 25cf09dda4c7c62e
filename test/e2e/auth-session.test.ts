import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formToken, loginJson, sidCookieLine, sidOf, startAuthApp, storeSid, type AuthTestApp } from './auth-support.js';

describe('login sessions', () => {
  let a: AuthTestApp;
  beforeAll(async () => {
    a = await startAuthApp();
    await a.users.create({ username: 'alice', email: 'alice@example.com', password: 'correct horse battery', role: 'member' });
  });
  afterAll(() => a?.close());

  it('logs in with user name or e-mail and sets a hardened cookie', async () => {
    const agent = request.agent(a.server);
    const res = await loginJson(agent, 'alice', 'correct horse battery').expect(200);
    expect(res.body).toMatchObject({ authenticated: true, user: { username: 'alice', role: 'member' } });
    expect(res.body.user.passwordHash).toBeUndefined();
    expect(res.body.csrfToken).toMatch(/^[\w-]{43}$/);
    const line = sidCookieLine(res)!;
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Lax/);
    expect(line).toMatch(/Path=\//);
    const me = await agent.get('/api/v1/me').expect(200);
    expect(me.body).toMatchObject({ authenticated: true, via: 'session', user: { username: 'alice' }, csrfToken: res.body.csrfToken });
    const byEmail = await loginJson(request.agent(a.server), 'ALICE@example.com', 'correct horse battery').expect(200);
    expect(byEmail.body.user.username).toBe('alice');
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const unknown = await loginJson(request.agent(a.server), 'nobody', 'whatever pw', '203.0.113.11');
    const wrong = await loginJson(request.agent(a.server), 'alice', 'wrong password', '203.0.113.12');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body).toEqual(wrong.body);
    expect(sidOf(unknown)).toBeNull();
  });

  it('answers guests with authenticated: false', async () => {
    const me = await request(a.server).get('/api/v1/me').expect(200);
    expect(me.body).toEqual({ authenticated: false, via: 'none', principal: { kind: 'guest', role: 'guest', privacyLevel: 0 }, user: null, csrfToken: null });
    expect(sidOf(me)).toBeNull();
  });

  it('regenerates the session id at login (fixation)', async () => {
    const agent = request.agent(a.server);
    const page = await agent.get('/login').expect(200);
    const before = sidOf(page)!;
    expect(before).toBeTruthy();
    const res = await agent.post('/login').type('form').send({ username: 'alice', password: 'correct horse battery', _csrf: formToken(page.text) }).expect(303);
    const after = sidOf(res)!;
    expect(after).toBeTruthy();
    expect(storeSid(after)).not.toBe(storeSid(before));
    const rows = await a.t.db.dataSource.query(`SELECT sid FROM sessions WHERE sid = $1`, [storeSid(before)]);
    expect(rows).toEqual([]);
    // The pre-login cookie does not carry the login.
    const old = await request(a.server).get('/api/v1/me').set('Cookie', `vitrine_sid=${encodeURIComponent(before)}`).expect(200);
    expect(old.body.authenticated).toBe(false);
  });
});
