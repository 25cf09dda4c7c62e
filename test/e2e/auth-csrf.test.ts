import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formToken, loginJson, sidOf, startAuthApp, type AuthTestApp } from './auth-support.js';

const PW = 'correct horse battery';

describe('CSRF defences', () => {
  let a: AuthTestApp;
  let cookie: string;
  let token: string;
  let apiKey: string;
  beforeAll(async () => {
    a = await startAuthApp();
    await a.users.create({ username: 'erin', password: PW, role: 'editor' });
    const res = await loginJson(request.agent(a.server), 'erin', PW).expect(200);
    cookie = `vitrine_sid=${encodeURIComponent(sidOf(res)!)}`;
    token = res.body.csrfToken;
    const created = await request(a.server).post('/api/v1/api-keys').set('Cookie', cookie).send({ name: 'script', scopes: ['read', 'write'] }).expect(201);
    apiKey = created.body.key;
  });
  afterAll(() => a?.close());

  const createKey = (name: string) => request(a.server).post('/api/v1/api-keys').set('Cookie', cookie);

  it('refuses cookie-authenticated writes from another site (Origin or Sec-Fetch-Site)', async () => {
    const byOrigin = await createKey('x').set('Origin', 'https://evil.example').send({ name: 'x' }).expect(403);
    expect(byOrigin.body.code).toBe('csrf.cross_site');
    expect(byOrigin.headers['content-type']).toMatch(/application\/problem\+json/);
    await createKey('x').set('Sec-Fetch-Site', 'cross-site').send({ name: 'x' }).expect(403);
    await createKey('x').set('Sec-Fetch-Site', 'same-site').send({ name: 'x' }).expect(403);
    await createKey('x').set('Origin', 'null').send({ name: 'x' }).expect(403);
    await request(a.server).delete('/api/v1/session').set('Cookie', cookie).set('Origin', 'https://evil.example').expect(403);
    expect((await request(a.server).get('/api/v1/me').set('Cookie', cookie)).body.authenticated).toBe(true);
  });

  it('lets same-origin and Origin-less (desktop) JSON writes through', async () => {
    await createKey('x').set('Origin', 'http://localhost:8080').set('Sec-Fetch-Site', 'same-origin').send({ name: 'same-origin' }).expect(201);
    const host = await createKey('x').send({ name: 'placeholder' }).set('Host', 'photos.test').set('Origin', 'http://photos.test');
    expect(host.status).toBe(201);
    await createKey('x').send({ name: 'no-origin' }).expect(201);
  });

  it('requires the synchronizer token on form posts that ride on the session', async () => {
    const missing = await request(a.server).post('/logout').set('Cookie', cookie).type('form').send({}).expect(403);
    expect(missing.body.code).toBe('csrf.token_invalid');
    await request(a.server).post('/logout').set('Cookie', cookie).type('form').send({ _csrf: 'x'.repeat(43) }).expect(403);
    await request(a.server).post('/api/v1/api-keys').set('Cookie', cookie).type('form').send({ name: 'form' }).expect(403);
    await request(a.server).post('/api/v1/api-keys').set('Cookie', cookie).type('text/plain').send('{"name":"x"}').expect(403);
    // A wrong header token is refused even on JSON.
    await createKey('x').set('X-CSRF-Token', 'wrong').send({ name: 'x' }).expect(403);
    // The right token, as a field or as a header, passes (and `_csrf` never reaches the body schema).
    const viaForm = await request(a.server).post('/api/v1/api-keys').set('Cookie', cookie).type('form').send({ name: 'form', _csrf: token });
    expect(viaForm.status).toBe(201);
    await createKey('x').set('X-CSRF-Token', token).send({ name: 'header' }).expect(201);
    expect((await request(a.server).get('/api/v1/me').set('Cookie', cookie)).body.authenticated).toBe(true);
  });

  it('does not concern Bearer-key requests, with or without Origin', async () => {
    await request(a.server).get('/api/v1/api-keys').set('Authorization', `Bearer ${apiKey}`).expect(200);
    const res = await request(a.server).delete('/api/v1/api-keys/999999').set('Authorization', `Bearer ${apiKey}`).set('Origin', 'https://app.example');
    expect(res.status).toBe(404);
    const form = await request(a.server).delete('/api/v1/api-keys/999999').set('Authorization', `Bearer ${apiKey}`).set('Cookie', cookie).type('form');
    expect(form.status).toBe(404);
  });

  it('the login form needs its token and refuses cross-site posts even without cookies (login CSRF)', async () => {
    const cross = await request(a.server).post('/login').set('Origin', 'https://evil.example').type('form').send({ username: 'erin', password: PW }).expect(403);
    expect(sidOf(cross)).toBeNull();
    await request(a.server).post('/api/v1/session').set('Sec-Fetch-Site', 'cross-site').send({ username: 'erin', password: PW }).expect(403);
    const agent = request.agent(a.server);
    const page = await agent.get('/login').expect(200);
    const noToken = await agent.post('/login').type('form').send({ username: 'erin', password: PW }).expect(403);
    expect(noToken.text).toContain('The form has expired');
    const ok = await agent.post('/login').type('form').send({ username: 'erin', password: PW, _csrf: formToken(noToken.text) }).expect(303);
    expect(sidOf(ok)).not.toBe(sidOf(page));
    // Without any session (cookie lost), the form answers 403 with a fresh token rather than logging in.
    await request(a.server).post('/login').type('form').send({ username: 'erin', password: PW, _csrf: formToken(page.text) }).expect(403);
  });

  it('guest forms without a session need no token (nothing to ride on)', async () => {
    const res = await request(a.server).post('/logout').type('form').send({}).expect(303);
    expect(res.headers.location).toBe('/');
  });
});
