import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserService } from '../../src/users/user.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { as, installTestPrincipal, userPrincipal } from '../support/test-principal.js';

describe('REST API: users and groups (administrators only)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let admin: Record<string, string>;
  let editor: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp({}, { beforeInit: installTestPrincipal });
    http = request(t.app.getHttpServer());
    const users = t.app.get(UserService);
    const boss = await users.create({ username: 'root', role: 'webmaster', password: 'correct horse battery' });
    admin = as(userPrincipal(boss.id, 'webmaster', 8));
    editor = as(userPrincipal((await users.create({ username: 'ed', role: 'editor' })).id, 'editor', 8));
  });
  afterAll(() => t?.close());

  it('creates, lists, updates, disables, sets a password and deletes users', async () => {
    const created = (await http.post('/api/v1/users').set(admin).send({ username: 'alice', email: 'alice@example.org', password: 'a long password' }).expect(201)).body;
    expect(created).toMatchObject({ username: 'alice', email: 'alice@example.org', role: 'member', privacyLevel: 0, status: 'active' });
    expect(JSON.stringify(created)).not.toMatch(/password|hash/i);
    const list = (await http.get('/api/v1/users?limit=2').set(admin).expect(200)).body;
    expect(list.items.length).toBe(2);
    expect(list.total).toBe(3);
    const updated = (await http.patch(`/api/v1/users/${created.id}`).set(admin).send({ role: 'contributor', privacyLevel: 4, displayName: 'Alice' }).expect(200)).body;
    expect(updated).toMatchObject({ role: 'contributor', privacyLevel: 4, displayName: 'Alice' });
    expect((await http.patch(`/api/v1/users/${created.id}`).set(admin).send({ disabled: true }).expect(200)).body.status).toBe('disabled');
    await http.post(`/api/v1/users/${created.id}/password`).set(admin).send({ password: 'another long one' }).expect(204);
    const weak = await http.post(`/api/v1/users/${created.id}/password`).set(admin).send({ password: 'x' }).expect(400);
    expect(weak.body.code).toBe('user.weak_password');
    await http.post('/api/v1/users').set(admin).send({ username: 'alice' }).expect(409);
    await http.post('/api/v1/users').set(admin).send({ username: 'bob', role: 'god' }).expect(400);
    await http.post('/api/v1/users').set(admin).send({ username: 'bob', passwordHash: 'x' }).expect(400);
    await http.delete(`/api/v1/users/${created.id}`).set(admin).expect(204);
    await http.get(`/api/v1/users/${created.id}`).set(admin).expect(404);
  });

  it('manages groups and memberships', async () => {
    const u = (await http.post('/api/v1/users').set(admin).send({ username: 'carol' }).expect(201)).body;
    const g = (await http.post('/api/v1/groups').set(admin).send({ name: 'Family' }).expect(201)).body;
    expect(g).toMatchObject({ name: 'Family', isDefault: false });
    expect((await http.patch(`/api/v1/groups/${g.id}`).set(admin).send({ description: 'close ones' }).expect(200)).body.description).toBe('close ones');
    const members = (await http.post(`/api/v1/groups/${g.id}/members`).set(admin).send({ userIds: [u.id] }).expect(201)).body;
    expect(members.map((m: { username: string }) => m.username)).toEqual(['carol']);
    expect((await http.get(`/api/v1/users/${u.id}/groups`).set(admin).expect(200)).body.map((x: { name: string }) => x.name)).toEqual(['Family']);
    await http.post(`/api/v1/groups/${g.id}/members`).set(admin).send({ userIds: [999999] }).expect(404);
    expect((await http.delete(`/api/v1/groups/${g.id}/members/${u.id}`).set(admin).expect(200)).body).toEqual([]);
    expect((await http.get('/api/v1/groups').set(admin).expect(200)).body.map((x: { name: string }) => x.name)).toEqual(['Family']);
    await http.post('/api/v1/groups').set(admin).send({ name: 'family' }).expect(409);
    await http.delete(`/api/v1/groups/${g.id}`).set(admin).expect(204);
    await http.get(`/api/v1/groups/${g.id}`).set(admin).expect(404);
  });

  it('refuses users and groups to non-administrators, editors included', async () => {
    await http.get('/api/v1/users').set(editor).expect(403);
    await http.get('/api/v1/groups').set(editor).expect(403);
    await http.get('/api/v1/users').expect(401);
  });
});
