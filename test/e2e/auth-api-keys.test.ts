import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginJson, sidOf, startAuthApp, type AuthTestApp } from './auth-support.js';

const PW = 'correct horse battery';

describe('API keys', () => {
  let a: AuthTestApp;
  let gina: string;
  let admin: string;
  beforeAll(async () => {
    a = await startAuthApp();
    await a.users.create({ username: 'gina', password: PW, role: 'member' });
    await a.users.create({ username: 'root', password: PW, role: 'admin' });
    await a.users.create({ username: 'visitor', password: PW, role: 'guest' });
    const cookieOf = async (u: string) => `vitrine_sid=${encodeURIComponent(sidOf(await loginJson(request.agent(a.server), u, PW).expect(200))!)}`;
    gina = await cookieOf('gina');
    admin = await cookieOf('root');
  });
  afterAll(() => a?.close());

  const http = () => request(a.server);
  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

  it('shows the secret once, stores only its sha256, and lists keys without secrets', async () => {
    const res = await http().post('/api/v1/api-keys').set('Cookie', gina).send({ name: 'backup script' }).expect(201);
    const { key, apiKey } = res.body;
    expect(key).toMatch(/^vtr_[0-9a-f]{12}_[0-9a-f]{64}$/);
    expect(apiKey).toMatchObject({ name: 'backup script', scopes: ['read'], status: 'active', expiresAt: null, lastUsedAt: null });
    expect(key.startsWith(`vtr_${apiKey.keyPrefix}_`)).toBe(true);
    const [row] = await a.t.db.dataSource.query(`SELECT key_hash FROM api_keys WHERE id = $1`, [apiKey.id]);
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.key_hash).not.toContain(key.slice(-64));
    const list = await http().get('/api/v1/api-keys').set('Cookie', gina).expect(200);
    expect(list.body.map((k: { id: number }) => k.id)).toContain(apiKey.id);
    expect(JSON.stringify(list.body)).not.toContain(key.slice(-64));
    expect(list.body[0].key).toBeUndefined();
  });

  it('authenticates with Bearer, sets last_used_at (throttled), and a read key cannot write', async () => {
    const { key, apiKey } = (await http().post('/api/v1/api-keys').set('Cookie', gina).send({ name: 'reader', scopes: ['read'] }).expect(201)).body;
    const me = await http().get('/api/v1/me').set(bearer(key)).expect(200);
    expect(me.body).toMatchObject({ authenticated: true, via: 'api_key', user: { username: 'gina' }, principal: { apiKey: { id: apiKey.id, scopes: ['read'] } }, csrfToken: null });
    expect(sidOf(me)).toBeNull();
    const [first] = await a.t.db.dataSource.query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [apiKey.id]);
    expect(first.last_used_at).not.toBeNull();
    await http().get('/api/v1/me').set(bearer(key)).expect(200);
    const [second] = await a.t.db.dataSource.query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [apiKey.id]);
    expect(new Date(second.last_used_at).getTime()).toBe(new Date(first.last_used_at).getTime());
    a.advance(61_000);
    await http().get('/api/v1/me').set(bearer(key)).expect(200);
    const [third] = await a.t.db.dataSource.query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [apiKey.id]);
    expect(new Date(third.last_used_at).getTime()).toBeGreaterThan(new Date(first.last_used_at).getTime());

    const post = await http().post('/api/v1/api-keys').set(bearer(key)).send({ name: 'x' }).expect(403);
    expect(post.body.code).toBe('auth.api_key_read_only');
    await http().delete(`/api/v1/api-keys/${apiKey.id}`).set(bearer(key)).expect(403);
  });

  it('a write key works for writes but cannot mint keys; scopes never exceed the owner', async () => {
    const { key } = (await http().post('/api/v1/api-keys').set('Cookie', gina).send({ name: 'writer', scopes: ['write'] }).expect(201)).body;
    const mint = await http().post('/api/v1/api-keys').set(bearer(key)).send({ name: 'child' }).expect(403);
    expect(mint.body.code).toBe('api_key.not_with_api_key');
    const visitor = `vitrine_sid=${encodeURIComponent(sidOf(await loginJson(request.agent(a.server), 'visitor', PW).expect(200))!)}`;
    const over = await http().post('/api/v1/api-keys').set('Cookie', visitor).send({ name: 'w', scopes: ['read', 'write'] }).expect(400);
    expect(over.body.code).toBe('api_key.scope_exceeds_role');
  });

  it('revoked, expired, unknown and malformed keys answer 401 problem+json', async () => {
    const { key, apiKey } = (await http().post('/api/v1/api-keys').set('Cookie', gina).send({ name: 'short-lived', expiresAt: new Date(a.settings.now() + 3_600_000).toISOString() }).expect(201)).body;
    await http().get('/api/v1/me').set(bearer(key)).expect(200);
    a.advance(3_600_000 + 1000);
    const expired = await http().get('/api/v1/me').set(bearer(key)).expect(401);
    expect(expired.body.code).toBe('auth.api_key_expired');
    expect(expired.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(expired.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await http().get('/api/v1/api-keys').set('Cookie', gina)).body.find((k: { id: number }) => k.id === apiKey.id).status).toBe('expired');

    const other = (await http().post('/api/v1/api-keys').set('Cookie', gina).send({ name: 'to revoke' }).expect(201)).body;
    await http().get('/api/v1/me').set(bearer(other.key)).expect(200);
    const revoked = await http().delete(`/api/v1/api-keys/${other.apiKey.id}`).set('Cookie', gina).expect(200);
    expect(revoked.body).toMatchObject({ id: other.apiKey.id, status: 'revoked' });
    expect((await http().get('/api/v1/me').set(bearer(other.key)).expect(401)).body.code).toBe('auth.api_key_revoked');

    const forged = other.key.slice(0, -4) + (other.key.endsWith('0000') ? '1111' : '0000');
    expect((await http().get('/api/v1/me').set(bearer(forged)).expect(401)).body.code).toBe('auth.api_key_invalid');
    expect((await http().get('/api/v1/me').set(bearer('not-a-key')).expect(401)).body.code).toBe('auth.api_key_invalid');
    expect((await http().get('/api/v1/me').set('Authorization', 'Bearer').expect(401)).body.code).toBe('auth.api_key_invalid');
    // A bad key never falls back to the session cookie.
    await http().get('/api/v1/me').set(bearer('not-a-key')).set('Cookie', gina).expect(401);
  });

  it('keys of a disabled account stop working', async () => {
    const h = await a.users.create({ username: 'hank', password: PW });
    const cookie = `vitrine_sid=${encodeURIComponent(sidOf(await loginJson(request.agent(a.server), 'hank', PW).expect(200))!)}`;
    const { key } = (await http().post('/api/v1/api-keys').set('Cookie', cookie).send({ name: 'k' }).expect(201)).body;
    await http().get('/api/v1/me').set(bearer(key)).expect(200);
    await a.users.setDisabled(h.id, true);
    await http().get('/api/v1/me').set(bearer(key)).expect(401);
  });

  it("only the owner or an admin revokes a key; another user's key looks missing", async () => {
    const { apiKey } = (await http().post('/api/v1/api-keys').set('Cookie', admin).send({ name: 'admin key' }).expect(201)).body;
    const asGina = await http().delete(`/api/v1/api-keys/${apiKey.id}`).set('Cookie', gina).expect(404);
    const missing = await http().delete('/api/v1/api-keys/987654').set('Cookie', gina).expect(404);
    expect(asGina.body.detail).toBe(missing.body.detail.replace('987654', String(apiKey.id)));
    const ginaKey = (await http().post('/api/v1/api-keys').set('Cookie', gina).send({ name: 'g' }).expect(201)).body.apiKey;
    await http().delete(`/api/v1/api-keys/${ginaKey.id}`).set('Cookie', admin).expect(200);
    await http().get('/api/v1/api-keys').expect(401);
  });

  it('validates the body', async () => {
    const res = await http().post('/api/v1/api-keys').set('Cookie', gina).send({ name: '', scopes: ['admin'], owner: 1 }).expect(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['(root)', 'name', 'scopes.0']);
    const past = await http().post('/api/v1/api-keys').set('Cookie', gina).send({ name: 'x', expiresAt: '2000-01-01T00:00:00Z' }).expect(400);
    expect(past.body.code).toBe('api_key.expiry_in_past');
  });
});
