import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserService } from '../../src/users/user.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { golden, GoldenReplay } from '../support/ws-golden-replay.js';

/**
 * The golden Piwigo 16.4 exchanges replayed against the real app, in the capture's order
 * (shared/bench/capture-golden.sh): same admin (admin/adminpass, PUBLIC_URL as the capture's base).
 *
 * Uploads (12–26, 30, 34–36, and 28–29 which list the tags the uploads created) belong to the
 * pwg.images.* methods: insert them at their place in `scenario` below, with `replay.replay(...)`
 * (multipart files are sent as zero-filled buffers of the captured size unless `files` is given).
 */
let t: TestApp;
let server: Server;

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: 'http://127.0.0.1:8082' });
  server = t.app.getHttpServer() as Server;
  await t.app.get(UserService).create({ username: 'admin', password: 'adminpass', role: 'webmaster' });
});
afterAll(() => t.close());

describe('ws.php replays the golden Piwigo exchanges', () => {
  it('session, albums, errors, API keys and logout, in the capture order', async () => {
    const replay = new GoldenReplay();
    const jar = request.agent(server); // the capture's cookie jar (curl -b jar -c jar)
    const fresh = () => request(server);

    const first = await replay.replay(fresh(), golden('01'));
    expect(first['result']).toMatchObject({ username: 'guest' });
    await replay.replay(fresh(), golden('02'));
    const viaGet = await replay.send(fresh(), golden('03'));
    replay.expectLike(viaGet, golden('03'));
    expect((viaGet as unknown as { res: { statusMessage: string } }).res.statusMessage).toBe('This method requires HTTP POST');

    const login = await replay.send(jar, golden('04'));
    replay.expectLike(login, golden('04'));
    const cookies = login.headers['set-cookie'] as unknown as string[];
    expect(cookies.filter((c) => c.startsWith('pwg_id='))).toHaveLength(1);
    expect(cookies.some((c) => c.startsWith('pwg_remember=deleted'))).toBe(true);
    await replay.replay(jar, golden('05'));

    await replay.replay(fresh(), golden('06'));
    for (const id of ['07', '08', '09', '10']) await replay.replay(jar, golden(id));
    await replay.replay(jar, golden('11'));

    // (uploads 12–26 go here)
    await replay.replay(fresh(), golden('27'));
    // (28–30 list what the uploads created; 34–36 upload again)
    for (const id of ['31', '32']) await replay.replay(fresh(), golden(id));
    await replay.replay(jar, golden('33'));

    // 36–37 (Piwigo's web form, identification.php: GET then POST), then 39–41 on that web-UI session.
    const web = request.agent(server);
    expect((await web.get('/identification.php')).status).toBe(302);
    expect((await web.post('/identification.php').type('form').send({ username: 'admin', password: 'adminpass', login: 'Submit' })).headers['location']).toBe('/');
    await replay.replay(web, golden('39'));
    await replay.replay(jar, golden('40'));
    const created = await replay.replay(web, golden('41'));
    const key = created['result'] as { auth_key: string; apikey_secret: string };
    replay.mapId('pkid-20261122-SRUoFNy3rC6ogcsm5KSh:<secret>', `${key.auth_key}:${key.apikey_secret}`);
    await replay.replay(fresh(), golden('42'));
    await replay.replay(fresh(), golden('43'));
    await replay.replay(fresh(), golden('44'));

    await replay.replay(jar, golden('45'));
    await replay.replay(jar, golden('46'));
  });
});
