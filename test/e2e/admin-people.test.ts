import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupService } from '../../src/groups/group.service.js';
import { followFlash, PASSWORD, startAdminApp, type AdminSession, type AdminTestApp } from './admin-support.js';

describe('admin: users and groups', () => {
  let a: AdminTestApp;
  let web: AdminSession;
  let admin: AdminSession;
  let editor: AdminSession;
  let groups: GroupService;
  beforeAll(async () => {
    a = await startAdminApp();
    web = await a.login('wendy', 'webmaster');
    admin = await a.login('ada', 'admin');
    editor = await a.login('eddie', 'editor');
    groups = a.t.app.get(GroupService);
  });
  afterAll(() => a?.close());

  it('is for administrators only: guests are redirected, editors get 403 on pages and writes', async () => {
    for (const path of ['/admin/users', '/admin/users/1', '/admin/groups', '/admin/groups/1']) {
      expect((await a.get(path).expect(303)).headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
      await a.get(path, editor).expect(403);
    }
    await a.post('/admin/users', editor, { username: 'x', email: '', role: 'admin', privacyLevel: '8', password: '' }).expect(403);
    await a.post('/admin/groups', editor, { name: 'x' }).expect(403);
    expect(await a.users.findByUsername('x')).toBeNull();
    expect(await groups.list()).toEqual([]);
  });

  it('creates an account with a password that can then log in, and lists it escaped', async () => {
    await a.post('/admin/users', admin, { username: 'client1', email: 'c1@example.com', role: 'member', privacyLevel: '0', password: PASSWORD }, { csrf: false }).expect(403);
    const res = await a.post('/admin/users', admin, { username: 'client1', email: 'c1@example.com', role: 'member', privacyLevel: '2', password: PASSWORD });
    expect(await followFlash(a, admin, res)).toBe('success: Account “client1” created.');
    const user = (await a.users.findByUsername('client1'))!;
    expect([user.role, user.privacyLevel, user.email]).toEqual(['member', 2, 'c1@example.com']);
    await request(a.server).post('/api/v1/session').send({ username: 'client1', password: PASSWORD }).expect(200);
    const dup = await a.post('/admin/users', admin, { username: 'client1', email: '', role: 'member', privacyLevel: '0', password: '' });
    expect(await followFlash(a, admin, dup)).toMatch(/^error: /);
    await a.users.create({ username: 'x<i>y', role: 'member' }).catch(() => undefined);
    const list = await a.get('/admin/users', admin).expect(200);
    expect(list.text).toContain('client1');
    expect(list.text).not.toContain('<i>y');
  });

  it('changes role, privacy level and password; disables and enables; only webmasters touch the webmaster role', async () => {
    const user = (await a.users.findByUsername('client1'))!;
    await a.post(`/admin/users/${user.id}`, admin, { email: '', displayName: 'Client One', role: 'contributor', privacyLevel: '4' }).expect(303);
    let got = await a.users.get(user.id);
    expect([got.role, got.privacyLevel, got.email, got.displayName]).toEqual(['contributor', 4, null, 'Client One']);

    await a.post(`/admin/users/${user.id}`, admin, { email: '', displayName: '', role: 'webmaster', privacyLevel: '8' }).expect(403);
    expect((await a.users.get(user.id)).role).toBe('contributor');
    await a.post(`/admin/users/${web.userId}/password`, admin, { password: 'another password' }).expect(403);
    await a.post(`/admin/users/${user.id}`, web, { email: '', displayName: '', role: 'webmaster', privacyLevel: '8' }).expect(303);
    expect((await a.users.get(user.id)).role).toBe('webmaster');
    await a.post(`/admin/users/${user.id}`, web, { email: '', displayName: '', role: 'member', privacyLevel: '0' }).expect(303);

    await a.post(`/admin/users/${user.id}/password`, admin, { password: 'new password 42' }).expect(303);
    await request(a.server).post('/api/v1/session').send({ username: 'client1', password: 'new password 42' }).expect(200);
    const short = await a.post(`/admin/users/${user.id}/password`, admin, { password: 'short' });
    expect(await followFlash(a, admin, short)).toMatch(/^error: /);

    await a.post(`/admin/users/${user.id}/status`, admin, { disabled: 'true' }).expect(303);
    expect((await a.users.get(user.id)).status).toBe('disabled');
    await request(a.server).post('/api/v1/session').send({ username: 'client1', password: 'new password 42' }).expect(401);
    await a.post(`/admin/users/${user.id}/status`, admin, { disabled: 'false' }).expect(303);
    got = await a.users.get(user.id);
    expect(got.status).toBe('active');
    const self = await a.post(`/admin/users/${admin.userId}/status`, admin, { disabled: 'true' });
    expect(await followFlash(a, admin, self)).toBe('error: You cannot disable or delete your own account.');
  });

  it('creates groups, manages members from both sides, and deletes', async () => {
    const res = await a.post('/admin/groups', admin, { name: 'Clients', description: 'Wedding clients', isDefault: 'on' });
    expect(await followFlash(a, admin, res)).toBe('success: Group “Clients” created.');
    const group = (await groups.list())[0]!;
    expect([group.name, group.description, group.isDefault]).toEqual(['Clients', 'Wedding clients', true]);
    const user = (await a.users.findByUsername('client1'))!;
    await a.post(`/admin/groups/${group.id}/members`, admin, { userId: String(user.id) }).expect(303);
    expect((await groups.members(group.id)).map((u) => u.username)).toEqual(['client1']);
    await a.post(`/admin/users/${editor.userId}/groups`, admin, { groupId: String(group.id) }).expect(303);
    expect((await groups.members(group.id)).map((u) => u.username).sort()).toEqual(['client1', 'eddie']);
    expect((await a.get(`/admin/groups/${group.id}`, admin)).text).toContain('Members (2)');
    await a.post(`/admin/groups/${group.id}/members/remove`, admin, { userId: String(user.id) }).expect(303);
    await a.post(`/admin/users/${editor.userId}/groups/leave`, admin, { groupId: String(group.id) }).expect(303);
    expect(await groups.members(group.id)).toEqual([]);
    await a.post(`/admin/groups/${group.id}`, admin, { name: 'Proofing', description: '' }).expect(303);
    expect((await groups.get(group.id)).isDefault).toBe(false);
    await a.post(`/admin/groups/${group.id}/delete`, admin, {}).expect(303);
    expect(await groups.list()).toHaveLength(1);
    await a.post(`/admin/groups/${group.id}/delete`, admin, { confirm: 'on' }).expect(303);
    expect(await groups.list()).toEqual([]);
  });

  it('deletes an account after confirmation', async () => {
    const user = (await a.users.findByUsername('client1'))!;
    await a.post(`/admin/users/${user.id}/delete`, admin, { confirm: 'on' }).expect(303);
    expect(await a.users.findByUsername('client1')).toBeNull();
    await a.get(`/admin/users/${user.id}`, admin).expect(404);
  });
});
