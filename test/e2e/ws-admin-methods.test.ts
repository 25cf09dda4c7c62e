import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VisibilityService } from '../../src/access/visibility.service.js';
import { UserService } from '../../src/users/user.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The administration methods of ws.php through HTTP: albums, tags, users, groups, permissions; pwg_token on writes. */
let t: TestApp;
let server: Server;
let admin: ReturnType<typeof request.agent>;
let token: string;

const body = (res: request.Response) => JSON.parse(res.text) as { stat: string; result: any; err?: number; message?: string }; // eslint-disable-line @typescript-eslint/no-explicit-any
const post = (fields: Record<string, string | string[]>) => {
  const form = Object.entries(fields)
    .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${encodeURIComponent(k)}[]=${encodeURIComponent(x)}`) : [`${encodeURIComponent(k)}=${encodeURIComponent(v)}`]))
    .join('&');
  return admin.post('/ws.php?format=json').type('form').send(form);
};

beforeAll(async () => {
  t = await createTestApp();
  server = t.app.getHttpServer() as Server;
  await t.app.get(UserService).create({ username: 'admin', password: 'adminpass', role: 'webmaster' });
  admin = request.agent(server);
  await admin.post('/ws.php?format=json').type('form').send({ method: 'pwg.session.login', username: 'admin', password: 'adminpass' });
  token = body(await admin.get('/ws.php?format=json&method=pwg.session.getStatus')).result.pwg_token;
});
afterAll(() => t.close());

describe('ws.php administration methods', () => {
  it('writes that require pwg_token refuse a missing or wrong one with 403 and change nothing', async () => {
    const album = body(await post({ method: 'pwg.categories.add', name: 'Keep me' })).result.id as number;
    const attempts: Array<Record<string, string>> = [
      { method: 'pwg.categories.delete', category_id: String(album) },
      { method: 'pwg.categories.delete', category_id: String(album), pwg_token: 'f'.repeat(32) },
      { method: 'pwg.categories.move', category_id: String(album), parent: '0', pwg_token: 'nope' },
      { method: 'pwg.users.add', username: 'eve', password: 'evepass12', pwg_token: 'x' },
    ];
    for (const fields of attempts) {
      const res = await post(fields);
      if ('pwg_token' in fields) {
        expect(res.status, fields.method).toBe(403);
        expect(body(res)).toEqual({ stat: 'fail', err: 403, message: 'Invalid security token' });
      } else {
        expect(body(res)).toMatchObject({ stat: 'fail', err: 1002, message: 'Missing parameters: pwg_token' });
      }
    }
    const list = body(await admin.get('/ws.php?format=json&method=pwg.categories.getList')).result.categories as Array<{ name: string }>;
    expect(list.map((c) => c.name)).toContain('Keep me');
    expect(body(await admin.get('/ws.php?format=json&method=pwg.users.getList&username=eve')).result.users).toEqual([]);
  });

  it('albums: add (first among siblings), setInfo, move, setRepresentative errors, delete', async () => {
    const a = body(await post({ method: 'pwg.categories.add', name: 'A <b>bold</b>' })).result.id as number;
    const b = body(await post({ method: 'pwg.categories.add', name: 'B', status: 'private' })).result.id as number;
    expect(body(await post({ method: 'pwg.categories.add', name: 'C', status: 'secret' }))).toMatchObject({ err: 1003, message: 'Invalid status' });
    expect(body(await post({ method: 'pwg.categories.setInfo', category_id: String(a), name: 'A2', comment: 'about A', pwg_token: token })).result).toBeNull();
    expect(body(await post({ method: 'pwg.categories.move', category_id: String(b), parent: String(a), pwg_token: token })).result).toBeNull();
    const tree = body(await admin.get(`/ws.php?format=json&method=pwg.categories.getList&cat_id=${a}&recursive=true&fullname=true`)).result.categories as Array<Record<string, unknown>>;
    expect(tree.map((c) => [c['name'], c['comment'], c['status'], c['id_uppercat']])).toEqual([
      ['A2', 'about A', 'public', null],
      ['A2 / B', '', 'private', String(a)],
    ]);
    const badRep = await post({ method: 'pwg.categories.setRepresentative', category_id: '999999', image_id: '1' });
    expect(badRep.status).toBe(404);
    expect(body(await post({ method: 'pwg.categories.delete', category_id: `${a}`, pwg_token: token })).result).toBeNull();
    const after = body(await admin.get('/ws.php?format=json&method=pwg.categories.getList&recursive=true')).result.categories as Array<{ id: number }>;
    expect(after.map((c) => c.id)).not.toContain(b);
  });

  it('tags: add, duplicate refused, admin list', async () => {
    const added = body(await admin.get('/ws.php?format=json&method=pwg.tags.add&name=Sea%20side'));
    expect(added.result).toMatchObject({ info: 'Tag "Sea side" was added', name: 'Sea side', url_name: 'sea_side' });
    expect(typeof added.result.id).toBe('number');
    expect(body(await admin.get('/ws.php?format=json&method=pwg.tags.add&name=sea%20SIDE'))).toMatchObject({ stat: 'fail', err: 1003 });
    const list = body(await admin.get('/ws.php?format=json&method=pwg.tags.getAdminList')).result.tags as Array<{ id: string; name: string }>;
    expect(list).toEqual([expect.objectContaining({ id: String(added.result.id), name: 'Sea side' })]);
    expect(body(await request(server).get('/ws.php?format=json&method=pwg.tags.getAdminList'))).toMatchObject({ err: 401 });
  });

  it('users and groups: add, getList shapes, setInfo, membership, delete', async () => {
    const created = body(await post({ method: 'pwg.users.add', username: 'alice', password: 'alice-pass', password_confirm: 'alice-pass', email: 'alice@example.org', pwg_token: token }));
    const alice = created.result.users[0];
    expect(alice).toEqual({ id: expect.any(Number), username: 'alice', email: 'alice@example.org', status: 'normal', level: '0', groups: '' });
    expect(body(await post({ method: 'pwg.users.add', username: 'alice', password: 'x1234567', pwg_token: token }))).toMatchObject({ stat: 'fail', err: 1003 });

    const group = body(await post({ method: 'pwg.groups.add', name: 'Clients' })).result.groups[0];
    expect(group).toEqual({ id: expect.any(String), name: 'Clients', is_default: 'false', lastmodified: expect.any(String), nb_users: '0' });
    expect(body(await post({ method: 'pwg.groups.add', name: 'Clients' }))).toMatchObject({ err: 1003, message: 'This name is already used by another group.' });
    const joined = body(await post({ method: 'pwg.groups.addUser', group_id: group.id, user_id: [String(alice.id)], pwg_token: token })).result.groups[0];
    expect(joined.nb_users).toBe('1');
    expect(body(await post({ method: 'pwg.groups.addUser', group_id: '99999', user_id: [String(alice.id)], pwg_token: token }))).toMatchObject({ err: 1003, message: 'This group does not exist.' });

    const updated = body(await post({ method: 'pwg.users.setInfo', user_id: [String(alice.id)], status: 'admin', level: '4', pwg_token: token })).result.users[0];
    expect(updated).toMatchObject({ status: 'admin', level: '4', groups: [Number(group.id)] });
    expect(body(await post({ method: 'pwg.users.setInfo', user_id: [String(alice.id)], level: '3', pwg_token: token }))).toMatchObject({ err: 1003, message: 'Invalid level' });
    const filtered = body(await admin.get(`/ws.php?format=json&method=pwg.users.getList&status[]=admin&group_id[]=${group.id}`)).result.users as Array<{ username: string }>;
    expect(filtered.map((u) => u.username)).toEqual(['alice']);

    expect(body(await post({ method: 'pwg.groups.deleteUser', group_id: group.id, user_id: [String(alice.id)], pwg_token: token })).result.groups[0].nb_users).toBe('0');
    expect(body(await post({ method: 'pwg.groups.delete', group_id: [group.id], pwg_token: token })).result).toEqual(['Clients']);
    expect(body(await post({ method: 'pwg.users.delete', user_id: [String(alice.id)], pwg_token: token })).result).toBe('1 user deleted');
    expect(body(await admin.get('/ws.php?format=json&method=pwg.users.getList&username=alice')).result.users).toEqual([]);
  });

  it('permissions: add opens the private album (and its private parent) to the user, remove closes it', async () => {
    const users = t.app.get(UserService);
    const bob = await users.create({ username: 'bob', password: 'bob-pass-1' });
    const parent = body(await post({ method: 'pwg.categories.add', name: 'Clients area', status: 'private' })).result.id as number;
    const child = body(await post({ method: 'pwg.categories.add', name: 'Wedding', parent: String(parent), status: 'private' })).result.id as number;
    const bobScope = () => t.app.get(VisibilityService).scopeFor({ kind: 'user', userId: bob.id, username: 'bob', role: 'member', privacyLevel: 0 });
    expect((await bobScope()).canSeeAlbum(child)).toBe(false);
    const added = body(await post({ method: 'pwg.permissions.add', cat_id: [String(child)], user_id: [String(bob.id)], pwg_token: token })).result;
    expect(added.categories).toEqual([{ id: child, users: [bob.id], users_indirect: [], groups: [] }]);
    expect((await bobScope()).canSeeAlbum(child)).toBe(true);
    const list = body(await admin.get(`/ws.php?format=json&method=pwg.permissions.getList&user_id[]=${bob.id}`)).result.categories as Array<{ id: number }>;
    expect(list.map((c) => c.id).sort()).toEqual([parent, child].sort());
    expect(body(await admin.get(`/ws.php?format=json&method=pwg.permissions.getList&user_id[]=${bob.id}&cat_id[]=${child}`))).toMatchObject({ err: 1003 });
    const removed = body(await post({ method: 'pwg.permissions.remove', cat_id: [String(parent)], user_id: [String(bob.id)], pwg_token: token }));
    expect(removed).toEqual({ stat: 'ok', result: { categories: [] } });
    expect((await bobScope()).canSeeAlbum(child)).toBe(false);
  });

  it('writes are audited with their params, secrets redacted', async () => {
    await post({ method: 'pwg.users.add', username: 'audited', password: 'audited-pass', pwg_token: token });
    const rows: { action: string; summary: Record<string, unknown>; actor_user_id: number }[] = await t.db.dataSource.query(
      `SELECT action, summary, actor_user_id FROM audit_log WHERE action LIKE 'ws.%' ORDER BY id`,
    );
    const add = rows.filter((r) => r.action === 'ws.users.add').at(-1);
    expect(add?.summary).toMatchObject({ username: 'audited', password: '[redacted]', pwg_token: '[redacted]' });
    expect(rows.map((r) => r.action)).toContain('ws.categories.add');
    expect(rows.some((r) => r.action.startsWith('ws.categories.get'))).toBe(false);
  });

  it('pwg.getInfos and reflection.getMethodList', async () => {
    const infos = body(await admin.get('/ws.php?format=json&method=pwg.getInfos')).result.infos as Array<{ name: string; value: unknown }>;
    expect(infos.map((i) => i.name).slice(0, 3)).toEqual(['version', 'db_version', 'nb_elements']);
    const methods = body(await request(server).get('/ws.php?format=json&method=reflection.getMethodList')).result.methods as string[];
    for (const name of ['pwg.categories.getList', 'pwg.tags.getImages', 'pwg.users.setInfo', 'pwg.groups.deleteUser', 'pwg.permissions.remove', 'pwg.users.api_key.create', 'pwg.images.addSimple']) {
      expect(methods).toContain(name);
    }
  });
});
