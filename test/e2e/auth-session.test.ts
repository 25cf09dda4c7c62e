import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formToken, loginJson, sidCookieLine, sidOf, startAuthApp, storeSid, type AuthTestApp } from './auth-support.js';

const PW = 'correct horse battery';
const HOUR = 3_600_000;

describe('login sessions', () => {
  let a: AuthTestApp;
  let aliceId: number;
  beforeAll(async () => {
    a = await startAuthApp();
    aliceId = (await a.users.create({ username: 'alice', email: 'alice@example.com', password: PW, role: 'member' })).id;
  });
  afterAll(() => a?.close());

  /** A cookie header that logs in as `username`. */
  async function loggedIn(username: string, password = PW): Promise<string> {
    const res = await loginJson(request.agent(a.server), username, password).expect(200);
    return `vitrine_sid=${encodeURIComponent(sidOf(res)!)}`;
  }
  const meWith = (cookie: string) => request(a.server).get('/api/v1/me').set('Cookie', cookie).expect(200);

  it('logs in with user name or e-mail, sets a hardened cookie, records last_login_at', async () => {
    const agent = request.agent(a.server);
    const res = await loginJson(agent, 'alice', PW).expect(200);
    expect(res.body).toMatchObject({ authenticated: true, user: { username: 'alice', role: 'member' } });
    expect(res.body.user.passwordHash).toBeUndefined();
    expect(res.body.csrfToken).toMatch(/^[\w-]{43}$/);
    const line = sidCookieLine(res)!;
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Lax/);
    expect(line).toMatch(/Path=\//);
    expect(line).not.toMatch(/Secure/); // plain http, PUBLIC_URL is http
    const me = await agent.get('/api/v1/me').expect(200);
    expect(me.body).toMatchObject({ authenticated: true, via: 'session', user: { username: 'alice' }, csrfToken: res.body.csrfToken });
    const [row] = await a.t.db.dataSource.query(`SELECT last_login_at FROM users WHERE id = $1`, [aliceId]);
    expect(Date.now() - new Date(row.last_login_at).getTime()).toBeLessThan(60_000);
    const byEmail = await loginJson(request.agent(a.server), 'ALICE@example.com', PW).expect(200);
    expect(byEmail.body.user.username).toBe('alice');
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const unknown = await loginJson(request.agent(a.server), 'nobody', 'whatever pw', '203.0.113.11');
    const wrong = await loginJson(request.agent(a.server), 'alice', 'wrong password', '203.0.113.12');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body.code).toBe('auth.invalid_credentials');
    expect(sidOf(unknown)).toBeNull();
  });

  it('validates the body: unknown fields and missing ones are 400 with field errors; form bodies are refused', async () => {
    const extra = await request(a.server).post('/api/v1/session').send({ username: 'alice', password: PW, remember: true }).expect(400);
    expect(extra.body.errors).toEqual([{ path: '(root)', message: 'unknown field(s): remember' }]);
    const missing = await request(a.server).post('/api/v1/session').send({ username: 'alice' }).expect(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(['password']);
    await request(a.server).post('/api/v1/session').type('form').send({ username: 'alice', password: PW }).expect(415);
  });

  it('answers guests with authenticated: false and creates no session', async () => {
    const me = await request(a.server).get('/api/v1/me').expect(200);
    expect(me.body).toEqual({ authenticated: false, via: 'none', principal: { kind: 'guest', role: 'guest', privacyLevel: 0 }, user: null, csrfToken: null });
    expect(sidOf(me)).toBeNull();
  });

  it('regenerates the session id at login (fixation)', async () => {
    const agent = request.agent(a.server);
    const page = await agent.get('/login').expect(200);
    const before = sidOf(page)!;
    expect(before).toBeTruthy();
    const res = await agent.post('/login').type('form').send({ username: 'alice', password: PW, _csrf: formToken(page.text) }).expect(303);
    const after = sidOf(res)!;
    expect(after).toBeTruthy();
    expect(storeSid(after)).not.toBe(storeSid(before));
    expect(await a.t.db.dataSource.query(`SELECT sid FROM sessions WHERE sid = $1`, [storeSid(before)])).toEqual([]);
    expect((await meWith(`vitrine_sid=${encodeURIComponent(before)}`)).body.authenticated).toBe(false);
    expect((await agent.get('/api/v1/me')).body.authenticated).toBe(true);
  });

  it('the form redirects to a same-site next only, and re-renders on failure', async () => {
    const agent = request.agent(a.server);
    const page = await agent.get('/login?next=%2Falbums%2F3%3Fpage%3D2').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toMatch(/action="\/login\?next(=|&#x3D;)%2Falbums%2F3%3Fpage%3D2"/); // the theme escapes '=' too
    const bad = await agent.post('/login?next=%2Falbums%2F3').type('form').send({ username: 'alice<b>', password: 'nope', _csrf: formToken(page.text) }).expect(401);
    expect(bad.text).toContain('Wrong user name or password.');
    expect(bad.text).toMatch(/value="alice(&#60;|&lt;)b(&#62;|&gt;)"/);
    expect(bad.text).not.toContain('nope');
    const ok = await agent.post('/login?next=%2Falbums%2F3').type('form').send({ username: 'alice', password: PW, _csrf: formToken(bad.text) }).expect(303);
    expect(ok.headers.location).toBe('/albums/3');
    const agent2 = request.agent(a.server);
    const page2 = await agent2.get('/login').expect(200);
    const evil = await agent2.post('/login?next=https%3A%2F%2Fevil.example%2F').type('form').send({ username: 'alice', password: PW, _csrf: formToken(page2.text) }).expect(303);
    expect(evil.headers.location).toBe('/');
    const agent3 = request.agent(a.server);
    const page3 = await agent3.get('/login').expect(200);
    const viaField = await agent3.post('/login').type('form').send({ username: 'alice', password: PW, returnTo: '//evil.example', _csrf: formToken(page3.text) }).expect(303);
    expect(viaField.headers.location).toBe('/');
  });

  it('logout destroys the session: the old cookie no longer authenticates', async () => {
    const cookie = await loggedIn('alice');
    expect((await meWith(cookie)).body.authenticated).toBe(true);
    const out = await request(a.server).delete('/api/v1/session').set('Cookie', cookie).expect(204);
    expect(sidCookieLine(out)).toMatch(/^vitrine_sid=;.*Expires=Thu, 01 Jan 1970/);
    expect((await meWith(cookie)).body.authenticated).toBe(false);
    // The form logout (POST /logout with the token) does the same.
    const agent = request.agent(a.server);
    const login = await loginJson(agent, 'alice', PW).expect(200);
    await agent.post('/logout').type('form').send({ _csrf: login.body.csrfToken }).expect(303).expect('Location', '/');
    expect((await agent.get('/api/v1/me')).body.authenticated).toBe(false);
  });

  it('sessions die at password change and at disable; disabled users cannot log in', async () => {
    const bob = await a.users.create({ username: 'bob', password: PW });
    const c1 = await loggedIn('bob');
    await a.users.setPassword(bob.id, 'another long password');
    expect((await meWith(c1)).body.authenticated).toBe(false);
    const c2 = await loggedIn('bob', 'another long password');
    expect((await meWith(c2)).body.authenticated).toBe(true);
    await a.users.setDisabled(bob.id, true);
    expect((await meWith(c2)).body.authenticated).toBe(false);
    const refused = await loginJson(request.agent(a.server), 'bob', 'another long password', '203.0.113.40').expect(401);
    expect(refused.body.code).toBe('auth.invalid_credentials');
  });

  it('a session whose row survived a password change is still refused (password_changed_at > login)', async () => {
    const carol = await a.users.create({ username: 'carol', password: PW });
    const cookie = await loggedIn('carol');
    await a.t.db.dataSource.query(`UPDATE users SET password_changed_at = now() + interval '1 minute' WHERE id = $1`, [carol.id]);
    expect((await meWith(cookie)).body.authenticated).toBe(false);
  });

  it('idle expiry is rolling; absolute expiry ends even a busy session', async () => {
    const cookie = await loggedIn('alice');
    a.advance(1.5 * HOUR);
    expect((await meWith(cookie)).body.authenticated).toBe(true); // pushes the idle expiry forward
    a.advance(1.5 * HOUR);
    expect((await meWith(cookie)).body.authenticated).toBe(true);
    a.advance(2 * HOUR + 60_000);
    expect((await meWith(cookie)).body.authenticated).toBe(false);

    const saved = a.settings.absoluteTtlMs;
    a.settings.absoluteTtlMs = 3 * HOUR;
    try {
      const busy = await loggedIn('alice');
      for (let i = 0; i < 2; i++) {
        a.advance(HOUR);
        expect((await meWith(busy)).body.authenticated).toBe(true);
      }
      a.advance(HOUR + 60_000);
      expect((await meWith(busy)).body.authenticated).toBe(false);
    } finally {
      a.settings.absoluteTtlMs = saved;
    }
  });
});
