import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GrantService } from '../../src/access/grant.service.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { createApp } from '../../src/bootstrap/server.js';
import { createLogger } from '../../src/common/logger.js';
import { loadConfig } from '../../src/config/config.js';
import { JOB_QUEUE, type JobRunner } from '../../src/jobs/job-queue.js';
import { MediaFileService } from '../../src/photos/media-file.service.js';
import { PhotoIngestService } from '../../src/photos/photo-ingest.service.js';
import { UserService } from '../../src/users/user.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { jpeg } from './media-harness.js';
import { writeFile } from 'node:fs/promises';

// The media fast path (MediaFileFastPath, on in the real server): built derivatives are served
// in front of the express chain from a decision cache keyed by the data version. Every test warms
// the cache first (and checks the full route was NOT used), then changes something and expects
// the very next request to see it.
describe('media fast path', () => {
  let app: NestExpressApplication;
  let db: TestDatabase;
  let media: MediaFileService;
  let users: UserService;
  let albums: AlbumService;
  let grants: GrantService;
  const PASSWORD = 'fast-path password 1';
  const server = () => app.getHttpServer();
  let seed = 100;
  let dataDir: string;
  let rootId: number;

  async function photoIn(albumId: number): Promise<number> {
    const path = join(dataDir, `upload-${seed}.jpg`);
    await writeFile(path, await jpeg(seed++));
    const principal = { kind: 'user' as const, userId: rootId, username: 'root', role: 'admin' as const, privacyLevel: 8 as const };
    const result = await app.get(PhotoIngestService).ingest({ source: { tempPath: path }, originalName: 'p.jpg', albumIds: [albumId], principal });
    await app.get<JobRunner>(JOB_QUEUE).drain();
    return result.photo.id;
  }

  async function member(name: string, role: 'member' | 'admin' = 'member'): Promise<{ id: number; agent: request.Agent; cookie: string }> {
    const user = await users.create({ username: name, password: PASSWORD, role });
    const agent = request.agent(server());
    const login = await agent.post('/api/v1/session').send({ username: name, password: PASSWORD }).expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    return { id: user.id, agent, cookie };
  }

  /** Requests `url` twice (the first may warm the cache) and checks the second came from the fast path. */
  async function warm(agent: request.Agent | request.SuperTest<request.Test>, url: string): Promise<request.Response> {
    await agent.get(url).expect(200);
    const full = vi.spyOn(media, 'derivative');
    try {
      const res = await agent.get(url).expect(200);
      expect(full).not.toHaveBeenCalled();
      return res;
    } finally {
      full.mockRestore();
    }
  }

  beforeAll(async () => {
    process.env.VITRINE_JOBS_POLL = 'off';
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'vitrine-fastpath-'));
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    app = await createApp(config, db.dataSource, createLogger('silent'), { mediaFastPath: true });
    await app.init();
    media = app.get(MediaFileService);
    users = app.get(UserService);
    albums = app.get(AlbumService);
    grants = app.get(GrantService);
    rootId = (await users.create({ username: 'root', password: PASSWORD, role: 'admin' })).id;
  });
  afterAll(async () => {
    await app?.close();
    if (db?.kind === 'postgres') await db.close().catch(() => undefined);
  });

  let privateAlbum: number;
  let photo: number;
  beforeEach(async () => {
    privateAlbum = (await albums.create({ name: `Private ${seed}`, status: 'private' })).id;
    photo = await photoIn(privateAlbum);
  });

  it('serves a granted member from the fast path with private caching and the same headers and bytes as the full route', async () => {
    const m = await member('mia');
    await grants.grant(privateAlbum, { userIds: [m.id] });
    const url = `/media/photos/${photo}/thumb.jpg`;
    const fast = await warm(m.agent, url);
    expect(fast.headers['cache-control']).toBe('private, max-age=300');
    expect(fast.headers['content-type']).toBe('image/jpeg');
    // A (bogus) share cookie sends the request down the full route; the session still wins there.
    const full = vi.spyOn(media, 'derivative');
    const slow = await m.agent.get(url).set('Cookie', 'vitrine_share=x').expect(200);
    expect(full).toHaveBeenCalledTimes(1);
    full.mockRestore();
    const pick = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([k]) => !['date', 'connection', 'keep-alive', 'set-cookie'].includes(k)));
    expect(pick(fast.headers)).toEqual(pick(slow.headers));
    expect(Buffer.compare(fast.body as Buffer, slow.body as Buffer)).toBe(0);
    // 304 and HEAD from the fast path too
    await m.agent.get(url).set('If-None-Match', fast.headers['etag']!).expect(304);
    const head = await m.agent.head(url).expect(200);
    expect(head.headers['content-length']).toBe(fast.headers['content-length']);
    // Extension-less URL: negotiated format, Vary: Accept
    const webp = await m.agent.get(`/media/photos/${photo}/thumb`).set('Accept', 'image/webp,*/*').expect(200);
    expect(webp.headers['content-type']).toBe('image/webp');
    expect(webp.headers['vary']).toBe('Accept');
  });

  it('a revoked grant applies to the next request', async () => {
    const m = await member('rev');
    await grants.grant(privateAlbum, { userIds: [m.id] });
    const url = `/media/photos/${photo}/thumb.jpg`;
    await warm(m.agent, url);
    await grants.revoke(privateAlbum, { userIds: [m.id] });
    await m.agent.get(url).expect(404);
  });

  it('a logout applies to the next request made with the old cookie', async () => {
    const m = await member('bye');
    await grants.grant(privateAlbum, { userIds: [m.id] });
    const url = `/media/photos/${photo}/thumb.jpg`;
    await warm(m.agent, url);
    await request(server()).get(url).set('Cookie', m.cookie).expect(200);
    await m.agent.delete('/api/v1/session').expect(204);
    await request(server()).get(url).set('Cookie', m.cookie).expect(404);
    await m.agent.get(url).expect(404);
  });

  it('a disabled account, a password change and a demotion apply to the next request', async () => {
    const url = `/media/photos/${photo}/thumb.jpg`;
    const d = await member('dis');
    await grants.grant(privateAlbum, { userIds: [d.id] });
    await warm(d.agent, url);
    await users.setDisabled(d.id, true);
    await d.agent.get(url).expect(404);

    const p = await member('pwd');
    await grants.grant(privateAlbum, { userIds: [p.id] });
    await warm(p.agent, url);
    await users.setPassword(p.id, 'another password 2');
    await p.agent.get(url).expect(404);

    // Admins see private albums without grants; demoted, the same session loses them at once
    // (a role change bumps nothing: the user row is read on every request).
    const a = await member('boss', 'admin');
    await warm(a.agent, url);
    await users.update(a.id, { role: 'member' });
    await a.agent.get(url).expect(404);
  });

  it('a photo made private (privacy level, album status, unlinked) applies to the next request', async () => {
    const m = await member('lvl');
    await grants.grant(privateAlbum, { userIds: [m.id] });
    const url = `/media/photos/${photo}/thumb.jpg`;
    await warm(m.agent, url);
    await db.dataSource.query(`UPDATE photos SET privacy_level = 4 WHERE id = $1`, [photo]);
    await m.agent.get(url).expect(404);

    // Guests: a public album's photo is public (and cacheable) until the album is made private.
    const open = (await albums.create({ name: `Open ${seed}` })).id;
    const shown = await photoIn(open);
    const guest = request(server());
    const publicUrl = `/media/photos/${shown}/thumb.jpg`;
    const res = await warm(request.agent(server()), publicUrl);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await albums.update(open, { status: 'private' });
    const hidden = await guest.get(publicUrl).expect(404);
    const missing = await guest.get(`/media/photos/999999/thumb.jpg`).expect(404);
    expect({ ...hidden.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });

    // Unlinked from its last visible album
    const again = (await albums.create({ name: `Open2 ${seed}` })).id;
    const linked = await photoIn(again);
    await warm(request.agent(server()), `/media/photos/${linked}/thumb.jpg`);
    await albums.unlinkPhotos(again, [linked]);
    await guest.get(`/media/photos/${linked}/thumb.jpg`).expect(404);

    // Flagged missing by the doctor (original gone): hidden from visitors at once.
    const lost = await photoIn(again);
    await warm(request.agent(server()), `/media/photos/${lost}/thumb.jpg`);
    await db.dataSource.query(`UPDATE photos SET missing_since = now() WHERE id = $1`, [lost]);
    await guest.get(`/media/photos/${lost}/thumb.jpg`).expect(404);
  });

  // Only Postgres has concurrent transactions (PGlite is one session: no request runs between a
  // write statement and its commit). The content version is a sequence, advanced before the
  // commit: a decision taken meanwhile must not be cached under the new version.
  it('a decision taken while a change is uncommitted is not kept after the commit (Postgres)', async () => {
    if (db.kind !== 'postgres') return;
    const m = await member('race');
    await grants.grant(privateAlbum, { userIds: [m.id] });
    const url = `/media/photos/${photo}/thumb.jpg`;
    await warm(m.agent, url);
    const tx = db.dataSource.createQueryRunner();
    await tx.connect();
    try {
      await tx.startTransaction();
      await tx.query(`UPDATE photos SET privacy_level = 4 WHERE id = $1`, [photo]); // version advances now
      await m.agent.get(url).expect(200); // not committed yet: still visible, decided afresh
      await tx.commitTransaction();
    } finally {
      await tx.release();
    }
    await m.agent.get(url).expect(404);
  });

  it('never answers Cache-Control: public for a private photo, whoever asks', async () => {
    const a = await member('adm2', 'admin');
    const res = await warm(a.agent, `/media/photos/${photo}/thumb.jpg`);
    expect(res.headers['cache-control']).not.toMatch(/public/);
    const medium = await warm(a.agent, `/media/photos/${photo}/medium.jpg`);
    expect(medium.headers['cache-control']).not.toMatch(/public/);
  });

  it('leaves guests of private photos, originals and unbuilt sizes to the full route', async () => {
    const full = vi.spyOn(media, 'derivative');
    await request(server()).get(`/media/photos/${photo}/thumb.jpg`).expect(404);
    expect(full).toHaveBeenCalledTimes(1);
    full.mockRestore();
    const a = await member('adm3', 'admin');
    await a.agent.get(`/media/photos/${photo}/original`).expect(200);
    const built = vi.spyOn(media, 'derivative');
    await a.agent.get(`/media/photos/${photo}/large.jpg`).expect(200); // not built yet: built by the full route
    expect(built).toHaveBeenCalledTimes(1);
    built.mockRestore();
  });
});
