import type { SessionData } from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSettingsFromEnv, type AuthSettings } from '../../src/auth/auth.settings.js';
import { DbSessionStore, endUserSessions } from '../../src/auth/session.store.js';
import { UserService } from '../../src/users/user.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const HOUR = 3_600_000;

describe('DbSessionStore (integration)', () => {
  let db: TestDatabase;
  let settings: AuthSettings;
  let store: DbSessionStore;
  let now = Date.now();
  beforeAll(async () => {
    db = await createTestDatabase();
    settings = { ...authSettingsFromEnv({}), now: () => now };
    store = new DbSessionStore(db.dataSource, settings);
  });
  afterAll(() => db?.close());

  const call = <T>(fn: (cb: (err: unknown, value?: T) => void) => void) =>
    new Promise<T | undefined>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
  const get = (sid: string) => call<SessionData | null>((cb) => store.get(sid, cb));
  const set = (sid: string, sess: SessionData) => call<void>((cb) => store.set(sid, sess, cb));
  const touch = (sid: string, sess: SessionData) => call<void>((cb) => store.touch(sid, sess, () => cb(null)));
  const destroy = (sid: string) => call<void>((cb) => store.destroy(sid, cb));
  const session = (extra: Partial<SessionData> = {}) => ({ cookie: { originalMaxAge: null }, ...extra }) as unknown as SessionData;
  const expireOf = async (sid: string) => {
    const [row] = await db.dataSource.query(`SELECT extract(epoch FROM expire) * 1000 AS ms FROM sessions WHERE sid = $1`, [sid]);
    return row ? Number(row.ms) : null;
  };

  it('stores, reads and destroys sessions in the connect-pg-simple shape', async () => {
    await set('s1', session({ passport: { user: 7 }, csrfToken: 't', authAt: now }));
    expect(await get('s1')).toMatchObject({ passport: { user: 7 }, csrfToken: 't' });
    const [row] = await db.dataSource.query(`SELECT sess::jsonb #>> '{passport,user}' AS uid FROM sessions WHERE sid = 's1'`);
    expect(row.uid).toBe('7');
    expect(Math.abs((await expireOf('s1'))! - (now + 2 * HOUR))).toBeLessThan(5);
    await destroy('s1');
    expect(await get('s1')).toBeNull();
    expect(await get('never')).toBeNull();
  });

  it('treats rows past their expiry as absent and deletes them', async () => {
    await set('s2', session());
    now += 2 * HOUR + 1;
    expect(await get('s2')).toBeNull();
    expect(await expireOf('s2')).toBeNull();
  });

  it('caps the expiry at login + absolute lifetime', async () => {
    await set('s3', session({ authAt: now - 30 * 24 * HOUR + HOUR }));
    expect(Math.abs((await expireOf('s3'))! - (now + HOUR))).toBeLessThan(5);
  });

  it('touch pushes the expiry forward at most once a minute and never resurrects a deleted row', async () => {
    const s = session({ authAt: now });
    await set('s4', s);
    const first = (await expireOf('s4'))!;
    now += 30_000;
    await touch('s4', s);
    expect(await expireOf('s4')).toBe(first);
    now += 60_000;
    await touch('s4', s);
    expect((await expireOf('s4'))!).toBeGreaterThan(first);
    await db.dataSource.query(`DELETE FROM sessions WHERE sid = 's4'`);
    now += 10 * 60_000;
    await touch('s4', s);
    expect(await expireOf('s4')).toBeNull();
  });

  it('prunes expired rows', async () => {
    await set('old', session());
    await set('young', session());
    await db.dataSource.query(`UPDATE sessions SET expire = expire - interval '3 hours' WHERE sid = 'old'`);
    expect(await store.prune()).toBeGreaterThanOrEqual(1);
    expect(await expireOf('old')).toBeNull();
    expect(await expireOf('young')).not.toBeNull();
  });

  it("ends a user's sessions by the same path as UserService, also inside a transaction", async () => {
    const users = new UserService(db.dataSource);
    const u = await users.create({ username: 'storeuser', password: 'long enough pw' });
    await set('u1', session({ passport: { user: u.id }, authAt: now }));
    await set('u2', session({ passport: { user: u.id }, authAt: now }));
    await set('other', session({ passport: { user: u.id + 1000 }, authAt: now }));
    await users.setPassword(u.id, 'a new long password');
    expect(await get('u1')).toBeNull();
    expect(await get('u2')).toBeNull();
    await set('u3', session({ passport: { user: u.id }, authAt: now }));
    await db.dataSource.transaction((em) => endUserSessions(em, u.id));
    expect(await get('u3')).toBeNull();
    expect(await get('other')).not.toBeNull();
  });
});
