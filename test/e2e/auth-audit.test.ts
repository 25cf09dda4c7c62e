import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../../src/audit/audit.service.js';
import { loginJson, sidOf, startAuthApp, type AuthTestApp } from './auth-support.js';

const PW = 'correct horse battery';
const WRONG = 'a wrong password 12345';

describe('audit log', () => {
  let a: AuthTestApp;
  let admin: string;
  let ivyId: number;
  beforeAll(async () => {
    a = await startAuthApp();
    await a.users.create({ username: 'boss', password: PW, role: 'admin' });
    ivyId = (await a.users.create({ username: 'ivy', password: PW, role: 'editor' })).id;
    admin = `vitrine_sid=${encodeURIComponent(sidOf(await loginJson(request.agent(a.server), 'boss', PW, '192.0.2.1').expect(200))!)}`;
  });
  afterAll(() => a?.close());

  const http = () => request(a.server);
  const audit = (query = '') => http().get(`/api/v1/audit${query}`).set('Cookie', admin);

  it('records logins, failures (with the attempted name, never the password), logouts and API keys', async () => {
    await loginJson(request.agent(a.server), 'ivy', WRONG, '192.0.2.7').expect(401);
    await loginJson(request.agent(a.server), 'nobody-here', WRONG, '192.0.2.7').expect(401);
    const login = await loginJson(request.agent(a.server), 'ivy', PW, '192.0.2.7').expect(200);
    const ivy = `vitrine_sid=${encodeURIComponent(sidOf(login)!)}`;
    const created = (await http().post('/api/v1/api-keys').set('Cookie', ivy).send({ name: 'cli', scopes: ['read'] }).expect(201)).body;
    await http().delete(`/api/v1/api-keys/${created.apiKey.id}`).set('Cookie', ivy).expect(200);
    await http().delete('/api/v1/session').set('Cookie', ivy).expect(204);

    const { items } = (await audit(`?actorId=${ivyId}`).expect(200)).body;
    expect(items.map((e: { action: string }) => e.action)).toEqual(['auth.logout', 'api_key.revoke', 'api_key.create', 'auth.login']);
    expect(items[3]).toMatchObject({ actor: { userId: ivyId, label: 'ivy' }, target: { type: 'user', id: String(ivyId) }, ip: '192.0.2.7', summary: { channel: 'api' } });
    expect(items[2]).toMatchObject({ target: { type: 'api_key', id: String(created.apiKey.id) }, summary: { name: 'cli', keyPrefix: created.apiKey.keyPrefix, scopes: ['read'] } });

    const failed = (await audit('?action=auth.login_failed').expect(200)).body.items;
    expect(failed.map((e: { summary: unknown }) => e.summary)).toEqual([
      { username: 'nobody-here', reason: 'unknown_account' },
      { username: 'ivy', reason: 'wrong_password' },
    ]);
    expect(failed[0]).toMatchObject({ actor: { userId: null, label: 'anonymous' }, ip: '192.0.2.7' });

    const everything = JSON.stringify(await a.t.db.dataSource.query(`SELECT * FROM audit_log`));
    expect(everything).not.toContain(WRONG);
    expect(everything).not.toContain(PW);
    expect(everything).not.toContain(created.key.slice(-64));
  });

  it('filters by action prefix, target and dates, and pages with a cursor', async () => {
    const keys = (await audit('?targetType=api_key').expect(200)).body.items;
    expect(keys.every((e: { target: { type: string } }) => e.target.type === 'api_key')).toBe(true);
    expect(keys.length).toBe(2);
    const prefix = (await audit('?action=auth.').expect(200)).body.items;
    expect(new Set(prefix.map((e: { action: string }) => e.action))).toEqual(new Set(['auth.login', 'auth.login_failed', 'auth.logout']));
    // `_` in a prefix is literal, not a LIKE wildcard.
    expect((await audit('?action=auth_').expect(200)).body.items).toEqual([]);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await audit(`?from=${encodeURIComponent(future)}`).expect(200)).body.items).toEqual([]);
    expect((await audit(`?to=${encodeURIComponent(future)}&limit=1`).expect(200)).body.items.length).toBe(1);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: number }[]; nextCursor: string | null } = (await audit(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200)).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    const total = (await a.t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n;
    expect(seen.length).toBe(total);
    expect([...seen].sort((x, y) => y - x)).toEqual(seen);
  });

  it('is for administrators only, and validates its query', async () => {
    await http().get('/api/v1/audit').expect(401);
    const ivy = `vitrine_sid=${encodeURIComponent(sidOf(await loginJson(request.agent(a.server), 'ivy', PW, '192.0.2.8').expect(200))!)}`;
    expect((await http().get('/api/v1/audit').set('Cookie', ivy).expect(403)).body.code).toBe('access.forbidden');
    const key = (await http().post('/api/v1/api-keys').set('Cookie', admin).send({ name: 'auditor', scopes: ['read'] }).expect(201)).body.key;
    await http().get('/api/v1/audit').set('Authorization', `Bearer ${key}`).expect(200);
    const bad = await audit('?limit=9999&sort=at&from=yesterday').expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['(root)', 'from', 'limit']);
  });

  it('cannot be edited: the table refuses UPDATE and DELETE', async () => {
    await expect(a.t.db.dataSource.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(a.t.db.dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    expect(a.t.app.get(AuditService)).toBeInstanceOf(AuditService);
  });
});
