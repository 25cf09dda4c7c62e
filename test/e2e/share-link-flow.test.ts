import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbumService } from '../../src/albums/album.service.js';
import { UserService } from '../../src/users/user.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * A share link seen through HTTP: created over the API by a logged-in admin, opened with its
 * password by an anonymous browser, which then sees the private album in the API and in pages,
 * and loses it on the very next request after revocation.
 */
describe('share links end to end', () => {
  let t: TestApp;
  let server: Server;
  let albumId: number;
  let photoId: number;
  let adminCookie: string;
  let csrf: string;

  beforeAll(async () => {
    t = await createTestApp();
    server = t.app.getHttpServer() as Server;
    await t.app.get(UserService).create({ username: 'boss', password: 'boss password', role: 'admin' });
    const albums = t.app.get(AlbumService);
    albumId = (await albums.create({ name: 'Client proofs', status: 'private' })).id;
    [{ id: photoId }] = await t.db.dataSource.query(`INSERT INTO photos (original_name, title) VALUES ('a.jpg', 'Proof one') RETURNING id`);
    await albums.linkPhotos(albumId, [photoId]);
    const login = await request(server).post('/api/v1/session').send({ username: 'boss', password: 'boss password' });
    expect(login.status).toBe(200);
    adminCookie = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    csrf = (await request(server).get('/api/v1/me').set('Cookie', adminCookie)).body.csrfToken;
    expect(csrf).toBeTruthy();
  });
  afterAll(() => t?.close());

  it('opens a private album to the link holder only, and closes it on revocation', async () => {
    const created = await request(server)
      .post('/api/v1/share-links')
      .set('Cookie', adminCookie)
      .set('X-CSRF-Token', csrf)
      .send({ albumId, password: 'proofs 2026', allowDownload: false, label: 'Wedding' });
    expect(created.status).toBe(201);
    const { token, url, link } = created.body;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url).toContain(`/s/${token}`);
    expect(link).toMatchObject({ albumId, hasPassword: true, allowDownload: false });
    expect(JSON.stringify(link)).not.toContain(token);

    const missing = await request(server).get('/api/v1/albums/987654');
    const hidden = await request(server).get(`/api/v1/albums/${albumId}`);
    expect(hidden.status).toBe(404);
    expect({ ...hidden.body, instance: null, detail: hidden.body.detail.replace(String(albumId), 'N') }).toEqual({
      ...missing.body,
      instance: null,
      detail: missing.body.detail.replace('987654', 'N'),
    });

    const wrong = await request(server).post('/api/v1/share-links/open').send({ token, password: 'guess' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('share.wrong_password');
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const opened = await request(server).post('/api/v1/share-links/open').send({ token, password: 'proofs 2026' });
    expect(opened.status).toBe(200);
    const shareCookie = (opened.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('vitrine_share='))!;
    expect(shareCookie).toMatch(/HttpOnly/i);
    expect(shareCookie).toMatch(/SameSite=Lax/i);
    const cookie = shareCookie.split(';')[0]!;

    const seen = await request(server).get(`/api/v1/albums/${albumId}`).set('Cookie', cookie);
    expect(seen.status).toBe(200);
    expect(seen.body.name).toBe('Client proofs');
    const other = await t.app.get(AlbumService).create({ name: 'Not shared', status: 'private' });
    expect((await request(server).get(`/api/v1/albums/${other.id}`).set('Cookie', cookie)).status).toBe(404);
    expect((await request(server).get(`/api/v1/share-links`).set('Cookie', cookie)).status).toBe(403);

    const revoked = await request(server).delete(`/api/v1/share-links/${link.id}`).set('Cookie', adminCookie).set('X-CSRF-Token', csrf);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await request(server).get(`/api/v1/albums/${albumId}`).set('Cookie', cookie)).status).toBe(404);
    expect((await request(server).post('/api/v1/share-links/open').send({ token, password: 'proofs 2026' })).status).toBe(404);

    const audit = await request(server).get('/api/v1/audit?action=share_link.').set('Cookie', adminCookie);
    expect(audit.status).toBe(200);
    const actions = audit.body.items.map((e: { action: string; actor: { label: string }; target: { id: string | null } }) => `${e.action} ${e.actor.label}`);
    expect(actions).toContain('share_link.create boss');
    expect(audit.body.items.find((e: { action: string }) => e.action === 'share_link.create').target).toEqual({ type: 'share_link', id: String(link.id) });
    expect(actions).toContain('share_link.revoke boss');
    expect(JSON.stringify(audit.body)).not.toContain('proofs 2026');
    expect([401, 403]).toContain((await request(server).get('/api/v1/audit').set('Cookie', cookie)).status);
  });

  it('refuses malformed bodies with field errors and tampered cookies as plain guests', async () => {
    const bad = await request(server).post('/api/v1/share-links').set('Cookie', adminCookie).set('X-CSRF-Token', csrf).send({ albumId, photoIds: [photoId], extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors.length).toBeGreaterThan(0);
    const forged = await request(server).get(`/api/v1/albums/${albumId}`).set('Cookie', 'vitrine_share=1.99999999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(forged.status).toBe(404);
  });
});
