import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserService } from '../../src/users/user.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let server: Server;

beforeAll(async () => {
  t = await createTestApp();
  server = t.app.getHttpServer() as Server;
  await t.app.get(UserService).create({ username: 'admin', password: 'adminpass', role: 'webmaster' });
});
afterAll(() => t.close());

const json = (res: request.Response) => JSON.parse(res.text) as { stat: string; result?: Record<string, unknown>; err?: number; message?: string };

describe('ws.php auth: pwg_id sessions', () => {
  it('anonymous getStatus sets a pwg_id cookie and answers guest', async () => {
    const res = await request(server).get('/ws.php?format=json&method=pwg.session.getStatus');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['set-cookie']?.[0]).toMatch(/^pwg_id=[a-z0-9]{26}; path=\/; HttpOnly/);
    expect(json(res).result).toMatchObject({ username: 'guest', status: 'guest' });
  });

  it('login regenerates the session and the cookie authenticates later calls', async () => {
    const agent = request.agent(server);
    const first = await agent.get('/ws.php?format=json&method=pwg.session.getStatus');
    const guestToken = json(first).result!['pwg_token'];
    const bad = await agent.post('/ws.php?format=json').type('form').send({ method: 'pwg.session.login', username: 'admin', password: 'nope' });
    expect(json(bad)).toEqual({ stat: 'fail', err: 999, message: 'Invalid username/password' });
    const login = await agent.post('/ws.php?format=json').type('form').send({ method: 'pwg.session.login', username: 'admin', password: 'adminpass' });
    expect(json(login)).toEqual({ stat: 'ok', result: true });
    const status = await agent.get('/ws.php?format=json&method=pwg.session.getStatus');
    expect(json(status).result).toMatchObject({ username: 'admin', status: 'webmaster', connected_with: 'ws_session_login', upload_form_chunk_size: 500 });
    expect(json(status).result!['pwg_token']).not.toBe(guestToken);
    const logout = await agent.get('/ws.php?format=json&method=pwg.session.logout');
    expect(json(logout)).toEqual({ stat: 'ok', result: true });
    const after = await agent.get('/ws.php?format=json&method=pwg.session.getStatus');
    expect(json(after).result).toMatchObject({ username: 'guest' });
  });
});

describe('ws.php auth: sessions end with the account', () => {
  it('a password change or a disabled account ends the pwg_id session', async () => {
    const users = t.app.get(UserService);
    const user = await users.create({ username: 'carol', password: 'carol-pass-1' });
    const agent = request.agent(server);
    await agent.post('/ws.php?format=json').type('form').send({ method: 'pwg.session.login', username: 'carol', password: 'carol-pass-1' });
    expect(json(await agent.get('/ws.php?format=json&method=pwg.session.getStatus')).result).toMatchObject({ username: 'carol' });
    await new Promise((r) => setTimeout(r, 5));
    await users.setPassword(user.id, 'carol-pass-2');
    expect(json(await agent.get('/ws.php?format=json&method=pwg.session.getStatus')).result).toMatchObject({ username: 'guest' });
    await agent.post('/ws.php?format=json').type('form').send({ method: 'pwg.session.login', username: 'carol', password: 'carol-pass-2' });
    await users.setDisabled(user.id, true);
    expect(json(await agent.get('/ws.php?format=json&method=pwg.session.getStatus')).result).toMatchObject({ username: 'guest' });
  });
});

describe('ws.php auth: web sessions and API keys', () => {
  async function webLogin() {
    const agent = request.agent(server);
    const res = await agent.post('/api/v1/session').send({ username: 'admin', password: 'adminpass' });
    expect(res.status).toBe(200);
    return agent;
  }

  it('a web session is connected_with pwg_ui; api_key.create needs it and its pwg_token; the key works in X-PIWIGO-API and as a login', async () => {
    const web = await webLogin();
    const status = json(await web.get('/ws.php?format=json&method=pwg.session.getStatus')).result!;
    expect(status).toMatchObject({ username: 'admin', status: 'webmaster', connected_with: 'pwg_ui' });
    const token = status['pwg_token'] as string;

    const noToken = await web.post('/ws.php?format=json').type('form').send({ method: 'pwg.users.api_key.create', key_name: 'k', duration: '30', pwg_token: 'x' });
    expect(noToken.status).toBe(403);
    expect(json(noToken)).toEqual({ stat: 'fail', err: 403, message: 'Invalid security token' });

    const created = await web.post('/ws.php?format=json').type('form').send({ method: 'pwg.users.api_key.create', key_name: 'golden', duration: '30', pwg_token: token });
    expect(created.status).toBe(200);
    const key = json(created).result!;
    expect(key).toMatchObject({ apikey_name: 'golden', key_type: 'api_key', duration: 30 });
    expect(key['auth_key']).toMatch(/^pkid-\d{8}-[A-Za-z0-9]{20}$/);
    expect(key['apikey_secret']).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(key['user_id']).toBeTypeOf('string');
    expect(key['expired_on']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const header = `${key['auth_key'] as string}:${key['apikey_secret'] as string}`;

    const viaHeader = await request(server).get('/ws.php?format=json&method=pwg.session.getStatus').set('X-PIWIGO-API', header);
    expect(json(viaHeader).result).toMatchObject({ username: 'admin', connected_with: 'api_key' });
    const refusedLogin = await request(server).post('/ws.php?format=json').set('X-PIWIGO-API', header).type('form').send({ method: 'pwg.session.login', username: 'admin', password: 'adminpass' });
    expect(refusedLogin.status).toBe(401);

    const invalid = await request(server).get('/ws.php?format=json&method=pwg.session.getStatus').set('X-PIWIGO-API', `${key['auth_key'] as string}:${'a'.repeat(40)}`);
    expect(invalid.status).toBe(401);
    expect(json(invalid)).toEqual({ stat: 'fail', err: 401, message: 'Invalid api_key' });

    const keyLogin = request.agent(server);
    const ok = await keyLogin.post('/ws.php?format=json').type('form').send({ method: 'pwg.session.login', username: key['auth_key'], password: key['apikey_secret'] });
    expect(json(ok)).toEqual({ stat: 'ok', result: true });
    expect(json(await keyLogin.get('/ws.php?format=json&method=pwg.session.getStatus')).result).toMatchObject({ username: 'admin', connected_with: 'ws_session_login_api_key' });
  });

  it('api_key.create from a ws.php login answers 401 Acces Denied', async () => {
    const agent = request.agent(server);
    await agent.post('/ws.php?format=json').type('form').send({ method: 'pwg.session.login', username: 'admin', password: 'adminpass' });
    const token = json(await agent.get('/ws.php?format=json&method=pwg.session.getStatus')).result!['pwg_token'] as string;
    const res = await agent.post('/ws.php?format=json').type('form').send({ method: 'pwg.users.api_key.create', key_name: 'k', duration: '30', pwg_token: token });
    expect(res.status).toBe(401);
    expect(json(res)).toEqual({ stat: 'fail', err: 401, message: 'Acces Denied' });
  });

  it('a web session must send its pwg_token to write (CSRF), even where Piwigo signatures do not ask for it', async () => {
    const web = await webLogin();
    const token = json(await web.get('/ws.php?format=json&method=pwg.session.getStatus')).result!['pwg_token'] as string;
    const forged = await web.get('/ws.php?format=json&method=pwg.categories.add&name=Forged');
    expect(forged.status).toBe(403);
    expect(json(forged)).toEqual({ stat: 'fail', err: 403, message: 'Invalid security token' });
    const ok = await web.get(`/ws.php?format=json&method=pwg.categories.add&name=Mine&pwg_token=${token}`);
    expect(json(ok).result).toMatchObject({ info: 'Album added' });
    const list = json(await web.get('/ws.php?format=json&method=pwg.categories.getList')).result!['categories'] as Array<{ name: string }>;
    expect(list.map((c) => c.name)).toEqual(['Mine']);
  });

  it('a write a browser flags as cross-site is refused, whatever the session', async () => {
    const agent = request.agent(server);
    await agent.post('/ws.php?format=json').type('form').send({ method: 'pwg.session.login', username: 'admin', password: 'adminpass' });
    const forged = await agent.get('/ws.php?format=json&method=pwg.categories.add&name=FromElsewhere').set('Sec-Fetch-Site', 'cross-site');
    expect(forged.status).toBe(403);
    const read = await agent.get('/ws.php?format=json&method=pwg.categories.getList').set('Sec-Fetch-Site', 'cross-site');
    expect(JSON.parse(read.text).stat).toBe('ok');
    const direct = await agent.get('/ws.php?format=json&method=pwg.categories.add&name=Direct');
    expect(JSON.parse(direct.text).result).toMatchObject({ info: 'Album added' });
  });

  it('a read-only API key lists but cannot write through ws.php', async () => {
    const web = await webLogin();
    const csrf = (await web.get('/api/v1/me')).body.csrfToken as string;
    const created = await web.post('/api/v1/api-keys').set('X-CSRF-Token', csrf).send({ name: 'reader', scopes: ['read'] });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const read = await request(server).get('/ws.php?format=json&method=pwg.categories.getList').set('X-PIWIGO-API', key);
    expect(json(read).stat).toBe('ok');
    const write = await request(server).get('/ws.php?format=json&method=pwg.categories.add&name=Nope').set('X-PIWIGO-API', key);
    expect(write.status).toBe(401);
    expect(json(write)).toEqual({ stat: 'fail', err: 401, message: 'This API key is read-only' });
  });

  it("Piwigo's identification.php form logs in on the session its GET started (pwg_ui), and only there", async () => {
    const noCookie = await request(server).post('/identification.php').type('form').send({ username: 'admin', password: 'adminpass', login: 'Submit' });
    expect(noCookie.status).toBe(403);
    const browser = request.agent(server);
    const start = await browser.get('/identification.php');
    expect(start.status).toBe(302);
    const wrong = await browser.post('/identification.php').type('form').send({ username: 'admin', password: 'nope', login: 'Submit' });
    expect([wrong.status, wrong.headers['location']]).toEqual([302, '/login?error=1']);
    const ok = await browser.post('/identification.php').type('form').send({ username: 'admin', password: 'adminpass', login: 'Submit' });
    expect([ok.status, ok.headers['location']]).toEqual([302, '/']);
    expect(json(await browser.get('/ws.php?format=json&method=pwg.session.getStatus')).result).toMatchObject({ username: 'admin', connected_with: 'pwg_ui' });
  });

  it('multipart bodies are parsed (fields in order, files spooled) and bounded', async () => {
    const res = await request(server).post('/ws.php?format=json').field('method', 'pwg.session.login').field('username', 'admin').field('password', 'wrong')
      .attach('image', Buffer.alloc(1000, 7), { filename: 'a.jpg', contentType: 'image/jpeg' });
    expect(json(res)).toEqual({ stat: 'fail', err: 999, message: 'Invalid username/password' });
  });
});
