import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineError } from '../../src/common/errors.js';
import { GroupService } from '../../src/groups/group.service.js';
import { PasswordHasher } from '../../src/users/password.hasher.js';
import { UserService } from '../../src/users/user.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: VitrineError) => e.code);

describe('users and groups (integration)', () => {
  let db: TestDatabase;
  let users: UserService;
  let groups: GroupService;
  beforeAll(async () => {
    db = await createTestDatabase();
    users = new UserService(db.dataSource);
    groups = new GroupService(db.dataSource);
  });
  afterAll(() => db?.close());

  it('creates accounts with hashed passwords and case-insensitive unique names', async () => {
    const alice = await users.create({ username: 'Alice', email: 'alice@example.com', password: 'long enough pw' });
    expect(alice).toMatchObject({ role: 'member', status: 'active', privacyLevel: 0 });
    expect((alice as unknown as Record<string, unknown>).passwordHash).toBeUndefined();
    const withHash = await users.findWithPasswordHash('ALICE@example.com');
    expect(withHash?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await PasswordHasher.verify(withHash!.passwordHash, 'long enough pw')).toBe(true);
    expect(await PasswordHasher.verify(withHash!.passwordHash, 'wrong')).toBe(false);
    expect(await codeOf(users.create({ username: 'alice' }))).toBe('user.username_taken');
    expect(await codeOf(users.create({ username: 'bob', email: 'Alice@Example.com' }))).toBe('user.email_taken');
    expect(await codeOf(users.create({ username: 'has space' }))).toBe('user.invalid_username');
    expect(await codeOf(users.create({ username: 'carol', password: 'short' }))).toBe('user.weak_password');
    expect(await codeOf(users.create({ username: 'dave', role: 'overlord' as never }))).toBe('user.invalid_role');
  });

  it('never leaves the site without an active webmaster', async () => {
    const wm = await users.create({ username: 'webmaster1', role: 'webmaster' });
    expect(wm.privacyLevel).toBe(8);
    expect(await codeOf(users.delete(wm.id))).toBe('user.last_webmaster');
    expect(await codeOf(users.setDisabled(wm.id, true))).toBe('user.last_webmaster');
    expect(await codeOf(users.update(wm.id, { role: 'member' }))).toBe('user.last_webmaster');
    const second = await users.create({ username: 'webmaster2', role: 'webmaster' });
    await users.setDisabled(wm.id, true);
    expect((await users.get(wm.id)).status).toBe('disabled');
    expect(await codeOf(users.delete(second.id))).toBe('user.last_webmaster');
  });

  it('ends sessions on password change and disable', async () => {
    const u = await users.create({ username: 'sess', password: 'first password' });
    const insert = () =>
      db.dataSource.query(`INSERT INTO sessions (sid, sess, expire) VALUES ($1, $2, now() + interval '1 hour')`, [
        `s${Math.random()}`,
        JSON.stringify({ cookie: {}, passport: { user: u.id } }),
      ]);
    const count = async () =>
      Number((await db.dataSource.query(`SELECT count(*) AS n FROM sessions WHERE (sess::jsonb #>> '{passport,user}') = $1`, [String(u.id)]))[0].n);
    await insert();
    await users.setPassword(u.id, 'second password');
    expect(await count()).toBe(0);
    await insert();
    await users.setDisabled(u.id, true);
    expect(await count()).toBe(0);
  });

  it('manages groups, memberships and default groups', async () => {
    const clients = await groups.create({ name: 'Clients' });
    const everyone = await groups.create({ name: 'Everyone', isDefault: true });
    expect(await codeOf(groups.create({ name: 'clients' }))).toBe('group.name_taken');
    const u1 = await users.create({ username: 'm1' });
    const u2 = await users.create({ username: 'm2' });
    expect((await groups.members(everyone.id)).map((u) => u.username)).toEqual(['m1', 'm2']);
    await groups.addMembers(clients.id, [u1.id, u2.id, u1.id]);
    await groups.addMembers(clients.id, [u1.id]);
    expect((await groups.members(clients.id)).map((u) => u.id)).toEqual([u1.id, u2.id]);
    await groups.removeMembers(clients.id, [u1.id]);
    expect((await groups.groupsOf(u1.id)).map((g) => g.name)).toEqual(['Everyone']);
    expect(await codeOf(groups.addMembers(clients.id, [424242]))).toBe('user.not_found');
    await users.delete(u2.id);
    expect(await groups.members(clients.id)).toEqual([]);
    await groups.delete(clients.id);
    expect(await codeOf(groups.get(clients.id))).toBe('group.not_found');
  });
});
