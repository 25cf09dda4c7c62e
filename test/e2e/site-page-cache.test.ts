import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbumService } from '../../src/albums/album.service.js';
import { createApp } from '../../src/bootstrap/server.js';
import { createLogger } from '../../src/common/logger.js';
import { loadConfig } from '../../src/config/config.js';
import { UserService } from '../../src/users/user.service.js';
import { createTestDatabase } from '../support/database.js';
import type { TestApp } from '../support/test-app.js';

// The anonymous page cache, with the fast path the real server installs: data changes
// (permissions, albums, photos, tags) show on the next request; only what the data version does
// not cover (site settings) may be SITE_PAGE_CACHE_MS old; signed-in users are never served from it.
describe('site page cache', () => {
  let t: TestApp;
  let albumId: number;
  const server = () => t.app.getHttpServer();
  const get = (url: string) => request(server()).get(url);
  const PASSWORD = 'cache-test-password';

  beforeAll(async () => {
    const db = await createTestDatabase();
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'vitrine-cache-')), LOG_LEVEL: 'silent', SITE_PAGE_CACHE_MS: '60000' });
    const app = await createApp(config, db.dataSource, createLogger('silent'), { pageCacheFastPath: true });
    await app.init();
    t = {
      app,
      db,
      config,
      async close() {
        await app.close();
        if (db.kind === 'postgres') await db.close().catch(() => undefined);
      },
    };
    albumId = (await app.get(AlbumService).create({ name: 'Lofoten', slug: 'lofoten' })).id;
    await app.get(UserService).create({ username: 'mia', password: PASSWORD });
  });
  afterAll(() => t?.close());

  it('serves anonymous visitors the stored page until the data changes; signed-in users always get a fresh one', async () => {
    expect((await get(`/albums/${albumId}-lofoten`).expect(200)).text).toContain('Lofoten');
    // The site title is a setting (not in the data version): anonymous visitors keep the stored page.
    await t.db.dataSource.query(`INSERT INTO settings (key, value) VALUES ('site_title', to_jsonb('Northern Light'::text))`);
    expect((await get(`/albums/${albumId}-lofoten`).expect(200)).text).not.toContain('Northern Light');
    const member = request.agent(server());
    await member.post('/api/v1/session').send({ username: 'mia', password: PASSWORD }).expect(200);
    expect((await member.get(`/albums/${albumId}-lofoten`).expect(200)).text).toContain('Northern Light');
    // A data change (rename) shows to anonymous visitors on the next request.
    await t.db.dataSource.query(`UPDATE albums SET name = 'Senja' WHERE id = $1`, [albumId]);
    const renamed = await get(`/albums/${albumId}-lofoten`).expect(200);
    expect(renamed.text).toContain('Senja');
    expect(renamed.text).toContain('Northern Light');
  });

  it('answers a stored page with the same headers and body as the rendered one (and 304 on its ETag)', async () => {
    const url = `/albums/${albumId}-lofoten?sort=title`;
    const first = await get(url).expect(200); // rendered and stored
    const second = await get(url).expect(200); // from the cache, before logging, sessions and routing
    expect(second.text).toBe(first.text);
    for (const h of ['content-type', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'cache-control', 'vary', 'etag']) {
      expect(second.headers[h], h).toBe(first.headers[h]);
    }
    await get(url).set('If-None-Match', String(first.headers.etag)).expect(304);
    // A request with credentials always goes through the full pipeline.
    await get(url).set('Authorization', 'Bearer not-a-key').expect(401);
  });

  it('drops the stored page at once when access changes (album made private)', async () => {
    expect((await get('/').expect(200)).text).toContain(`/albums/${albumId}-`);
    await t.app.get(AlbumService).update(albumId, { status: 'private' }); // bumps the access epoch
    await get(`/albums/${albumId}-senja`).expect(404);
    await get(`/albums/${albumId}-lofoten`).expect(404);
    expect((await get('/').expect(200)).text).not.toContain(`/albums/${albumId}-`);
  });

  it('never stores error pages', async () => {
    const next = albumId + 1; // the id the next album gets
    await get(`/albums/${next}-late`).expect(404);
    const created = await t.app.get(AlbumService).create({ name: 'Late', slug: 'late' });
    expect(created.id).toBe(next);
    await get(`/albums/${next}-late`).expect(200);
  });
});
