import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditService } from '../../src/audit/audit.service.js';
import { authSettingsFromEnv } from '../../src/auth/auth.settings.js';
import { CredentialService } from '../../src/auth/credential.service.js';
import { PasswordHasher } from '../../src/users/password.hasher.js';
import { UserService } from '../../src/users/user.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('CredentialService (integration)', () => {
  let db: TestDatabase;
  let credentials: CredentialService;
  beforeAll(async () => {
    db = await createTestDatabase();
    const settings = { ...authSettingsFromEnv({}), loginMaxPerAccount: 1000, loginMaxPerIp: 1000 };
    credentials = new CredentialService(db.dataSource, new AuditService(db.dataSource), settings);
    const users = new UserService(db.dataSource);
    await users.create({ username: 'kim', email: 'kim@example.com', password: 'long enough pw' });
    // A user whose name is another user's e-mail address: the user name wins.
    await users.create({ username: 'lee@example.com', password: 'lee password 1' });
    await users.create({ username: 'lee', email: 'lee@example.com', password: 'lee password 2' });
  });
  afterAll(() => db?.close());

  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code: string }) => e.code);

  it('accepts user name or e-mail, case-insensitively; the user name wins over an e-mail', async () => {
    expect((await credentials.verify('KIM', 'long enough pw', null)).username).toBe('kim');
    expect((await credentials.verify('kim@EXAMPLE.com', 'long enough pw', null)).username).toBe('kim');
    expect((await credentials.verify('lee@example.com', 'lee password 1', null)).username).toBe('lee@example.com');
    expect(await code(credentials.verify('lee@example.com', 'lee password 2', null))).toBe('auth.invalid_credentials');
  });

  it('spends an argon2 computation on unknown accounts too (similar timing)', async () => {
    const spy = vi.spyOn(PasswordHasher, 'verify');
    try {
      const t0 = performance.now();
      expect(await code(credentials.verify('no-such-user', 'not the password', '192.0.2.9'))).toBe('auth.invalid_credentials');
      const unknownMs = performance.now() - t0;
      expect(await code(credentials.verify('kim', 'not the password', '192.0.2.9'))).toBe('auth.invalid_credentials');
      expect(spy).toHaveBeenCalledTimes(2);
      // Both paths verify against an argon2id hash: a dummy one for the unknown account.
      expect(spy.mock.calls[0]![0]).toMatch(/^\$argon2id\$/);
      expect(spy.mock.calls[1]![0]).toMatch(/^\$argon2id\$/);
      expect(spy.mock.calls[0]![0]).not.toBe(spy.mock.calls[1]![0]);
      // argon2id (m=19 MiB, t=2) takes tens of milliseconds; a bare lookup would take about one.
      expect(unknownMs).toBeGreaterThan(10);
    } finally {
      spy.mockRestore();
    }
  });
});
