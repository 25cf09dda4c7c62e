import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbumService } from '../../src/albums/album.service.js';
import { ThemeService } from '../../src/site/theme.service.js';
import { ShareLinkService } from '../../src/access/share-link.service.js';
import { HookRegistry } from '../../src/hooks/hook.registry.js';
import { ImageSizeRegistry } from '../../src/media/image-size.registry.js';
import { JOB_QUEUE, type JobRunner } from '../../src/jobs/job-queue.js';
import { PluginHost } from '../../src/plugin-host/plugin-host.js';
import { ImporterRegistry } from '../../src/plugin-host/plugin-importers.js';
import { UserService } from '../../src/users/user.service.js';
import { seen } from '../fixtures/plugins/full/showcase/src/index.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { as, installTestPrincipal, userPrincipal } from '../support/test-principal.js';

const FULL = join(import.meta.dirname, '..', 'fixtures', 'plugins', 'full');

/** A small JPEG of one colour (distinct colours → distinct content hashes). */
async function jpeg(dir: string, name: string, shade: number): Promise<string> {
  const path = join(dir, name);
  await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: shade, g: 255 - shade, b: (shade * 7) % 255 } } }).jpeg().toFile(path);
  return path;
}

describe('plugin platform: the showcase fixture uses every contribution, end to end', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let admin: Record<string, string>;
  let editor: Record<string, string>;
  let member: Record<string, string>;
  let adminId: number;
  let editorId: number;
  let albumId: number;
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-showcase-'));

  beforeAll(async () => {
    t = await createTestApp({ PLUGINS_DIR: FULL, PLUGINS_ENABLE: 'showcase' }, { beforeInit: installTestPrincipal });
    http = request(t.app.getHttpServer());
    const users = t.app.get(UserService);
    adminId = (await users.create({ username: 'boss', role: 'admin' })).id;
    admin = as(userPrincipal(adminId, 'admin', 8));
    editorId = (await users.create({ username: 'ed', role: 'editor' })).id;
    editor = as(userPrincipal(editorId, 'editor', 8));
    member = as(userPrincipal((await users.create({ username: 'mem', role: 'member' })).id, 'member', 0));
    albumId = (await t.app.get(AlbumService).create({ name: 'Uploads' })).id;
  });
  afterAll(() => t?.close());

  async function upload(name: string, shade: number, headers = admin): Promise<request.Response> {
    const file = await jpeg(dir, name, shade);
    return http.post('/api/v1/photos').set(headers).field('albumIds', String(albumId)).attach('file', file, name);
  }

  it('runs bootstrap once and its migration created its table', async () => {
    expect(seen.booted).toBe(1);
    const rows = await t.db.dataSource.query(`SELECT name FROM plugin_migrations WHERE plugin = 'showcase'`);
    expect(rows).toEqual([{ name: 'ShowcaseNotes1700000000001' }]);
    expect(await t.db.dataSource.query(`SELECT to_regclass('plugin_showcase_notes') IS NOT NULL AS present`)).toEqual([{ present: true }]);
  });

  it('its importer imports through the core pipeline: album path created, metadata field stored, duplicates recognised', async () => {
    const src = mkdtempSync(join(tmpdir(), 'vitrine-showcase-src-'));
    await jpeg(src, 'a.jpg', 10);
    await jpeg(src, 'b.jpg', 20);
    const importers = t.app.get(ImporterRegistry);
    expect(importers.list()).toContainEqual({ id: 'showcase-dir', label: 'Showcase folder', description: null, plugin: 'showcase' });
    const actor = { userId: adminId, username: 'boss', role: 'admin' as const, via: 'cli' as const };
    const first = await importers.run('showcase-dir', { dir: src }, actor);
    expect(first.imported).toHaveLength(2);
    expect(first.failed).toEqual([]);
    const again = await importers.run('showcase-dir', { dir: src }, actor);
    expect(again.imported).toEqual([]);
    expect(again.duplicates.sort()).toEqual([...first.imported].sort());
    const rows = await t.db.dataSource.query(
      `SELECT p.plugin_data, a.name AS album, parent.name AS parent FROM photos p JOIN album_photos ap ON ap.photo_id = p.id
       JOIN albums a ON a.id = ap.album_id JOIN albums parent ON parent.id = a.parent_id WHERE p.id = $1`,
      [first.imported[0]],
    );
    expect(rows).toEqual([{ plugin_data: { showcase: { scene: 'night' } }, album: 'Imported', parent: 'Showcase' }]);
    await expect(importers.run('showcase-dir', { folder: src }, actor)).rejects.toMatchObject({ code: 'importer.invalid_options' });
  });

  it('an upload fires photo.metadata (the field is set) and photo.imported after the commit', async () => {
    const res = await upload('day-1.jpg', 30);
    expect(res.status).toBe(201);
    const id = (res.body.items?.[0] ?? res.body).id ?? res.body.photos?.[0]?.id;
    expect(seen.imported).toContain(id);
    const detail = await http.get(`/api/v1/photos/${id}`).expect(200);
    expect(detail.body.fields).toEqual({ scene: 'day' });
    expect(detail.body.extensions).toEqual({ showcase: { scene: 'day' } });
  });

  it('photo.beforeImport rejects with the plugin reason as a 400 problem; nothing is stored', async () => {
    const before = (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`))[0].n;
    const res = await upload('reject-me.jpg', 40);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'showcase.rejected', detail: 'Showcase refuses files named reject-me.' });
    expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`))[0].n).toBe(before);
  });

  it('an in-transaction filter that throws rolls the write back; an after-commit action that throws does not break the request', async () => {
    const before = (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`))[0].n;
    const failed = await upload('explode-in.jpg', 50);
    expect(failed.status).toBe(500);
    expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`))[0].n).toBe(before);
    const ok = await upload('explode-after.jpg', 60);
    expect(ok.status).toBe(201);
    expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`))[0].n).toBe(before + 1);
  });

  it('the metadata field is validated on update, stored namespaced, searchable, and private fields stay private', async () => {
    const id = (await t.db.dataSource.query(`SELECT id FROM photos WHERE original_name = 'day-1.jpg'`))[0].id;
    const bad = await http.patch(`/api/v1/photos/${id}`).set(admin).send({ fields: { scene: 'dusk', rollCode: 'x'.repeat(13), nope: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e: { path: string }) => e.path).sort() ?? bad.body.fields).toBeDefined();
    expect(JSON.stringify(bad.body)).toContain('metadata.scene');
    expect(JSON.stringify(bad.body)).toContain('metadata.rollCode');
    expect(JSON.stringify(bad.body)).toContain('metadata.nope');
    await http.patch(`/api/v1/photos/${id}`).set(admin).send({ fields: { scene: 'night', rollCode: 'R-77' } }).expect(200);
    const [row] = await t.db.dataSource.query(`SELECT plugin_data FROM photos WHERE id = $1`, [id]);
    expect(row.plugin_data).toEqual({ showcase: { scene: 'night', rollCode: 'R-77' } });
    expect(seen.updated).toContain('fields');
    // Public field visible to guests, the private one only to editors of every photo.
    expect((await http.get(`/api/v1/photos/${id}`).expect(200)).body.fields).toEqual({ scene: 'night' });
    expect((await http.get(`/api/v1/photos/${id}`).set(admin).expect(200)).body.fields).toEqual({ scene: 'night', rollCode: 'R-77' });
    // Searchable: REST search for admins finds the private field, guests only the public one.
    const adminSearch = await http.get('/api/v1/photos?q=R-77').set(admin).expect(200);
    expect(adminSearch.body.items.map((p: { id: number }) => p.id)).toEqual([id]);
    expect((await http.get('/api/v1/photos?q=R-77').expect(200)).body.items).toEqual([]);
    // Site search (public fields).
    const site = await http.get('/search?q=night').expect(200);
    expect(site.text).toContain(`/photos/${id}`);
  });

  it('photo pages show the field and the plugin extension; site.head and site.foot inject', async () => {
    const id = (await t.db.dataSource.query(`SELECT id FROM photos WHERE original_name = 'day-1.jpg'`))[0].id;
    const page = await http.get(`/photos/${id}`).expect(200);
    expect(page.text).toContain('<meta name="showcase" content="on">');
    expect(page.text).toContain('<div class="showcase-foot"></div>');
  });

  it('album.viewModel runs on album pages and in the REST album detail', async () => {
    const album = await t.app.get(AlbumService).get(albumId);
    await http.get(`/albums/${albumId}-${album.slug}`).expect(200);
    expect(seen.albumViews).toContain('album:Uploads');
    const res = await http.get(`/api/v1/albums/${albumId}`).expect(200);
    expect(res.body.extensions).toEqual({ showcase: { photos: 0 } });
    expect(seen.albumViews).toContain('api:Uploads');
  });

  it('its site route renders through the active theme with the plugin template, helper and partial; null is a 404 page', async () => {
    const res = await http.get('/showcase/lights').expect(200);
    expect(res.text).toContain('<h1>Hello lights</h1>');
    expect(res.text).toContain('<p class="showcase-word">LIGHTS</p>');
    expect(res.text).toContain('<span class="showcase-badge">lights</span>');
    expect(res.text).toMatch(/<html[\s\S]*<\/html>/); // inside the theme's layout
    const escaped = await http.get('/showcase/%3Cb%3E').expect(200);
    expect(escaped.text).not.toContain('<b>');
    await http.get('/showcase/missing').expect(404);
  });

  it('the route renders through the other bundled theme too (its layout, the plugin template)', async () => {
    expect((await http.get('/showcase/one').expect(200)).text).toContain('<body class="page page--plugin">');
    const themes = t.app.get(ThemeService);
    await themes.activate('portfolio');
    try {
      const res = await http.get('/showcase/two');
      expect(res.status, res.text.slice(0, 2000)).toBe(200);
      expect(res.text).toContain('<body class="is-plugin">');
      expect(res.text).toContain('<h1>Hello two</h1>');
      expect(res.text).toContain('<span class="showcase-badge">two</span>');
    } finally {
      await themes.activate('default');
    }
  });

  it('its REST controller answers under /api/v1/plugins/showcase with its policies, extended permissions and own table', async () => {
    await http.post('/api/v1/plugins/showcase/notes').send({ text: 'anon' }).expect(401);
    await http.post('/api/v1/plugins/showcase/notes').set(member).send({ text: 'member' }).expect(403);
    const created = await http.post('/api/v1/plugins/showcase/notes').set(editor).send({ text: 'from editor' }).expect(201);
    expect(created.body.by).toBe(userPrincipal(editorId, 'editor').kind === 'user' ? (userPrincipal(editorId, 'editor') as { username: string }).username : null);
    expect((await http.get('/api/v1/plugins/showcase/notes').expect(200)).body).toEqual({ notes: ['from editor'] });
    expect(seen.noted).toEqual(['from editor']);
  });

  it('its ws.php method answers in Piwigo format', async () => {
    const res = await http.get('/ws.php?format=json&method=showcase.echo&text=abc').expect(200);
    expect(JSON.parse(res.text)).toEqual({ stat: 'ok', result: { echo: 'ABC', user: null } });
    const list = JSON.parse((await http.get('/ws.php?format=json&method=reflection.getMethodList').expect(200)).text);
    expect(list.result.methods).toContain('showcase.echo');
  });

  it('its image size joined the registry (after the image.sizes filter); its job runs through the queue', async () => {
    expect(t.app.get(ImageSizeRegistry).get('showcase-banner')).toMatchObject({ width: 1200, height: 400, crop: true, eager: false });
    const host = t.app.get(PluginHost);
    await host.contextFor(host.plugin('showcase')!).services.jobs.enqueue('note', { text: 'from job' });
    await t.app.get<JobRunner>(JOB_QUEUE).drain();
    expect(seen.jobs).toEqual(['from job']);
  });

  it('album hooks fire after the commit', async () => {
    const albums = t.app.get(AlbumService);
    const a = await albums.create({ name: 'Hooked' });
    await albums.update(a.id, { name: 'Hooked2' });
    await albums.move(a.id, albumId);
    await albums.delete(a.id, 'keep');
    expect(seen.albums.filter((e) => e.includes('Hooked'))).toEqual(['created:Hooked', 'updated:Hooked2', 'moved:Hooked2', 'deleted:Hooked2']);
    expect(t.app.get(HookRegistry).subscriptions('album.created').map((s) => s.plugin)).toEqual(['showcase']);
  });

  it('user.loggedIn fires on login and share.opened when a share link is opened', async () => {
    await t.app.get(UserService).create({ username: 'walker', password: 'correct horse battery', role: 'member' });
    await http.post('/api/v1/session').send({ username: 'walker', password: 'correct horse battery' }).expect(200);
    expect(seen.logins).toEqual(['walker:session']);
    const { token, link } = await t.app.get(ShareLinkService).create({ albumId, label: 'for client' });
    await http.get(`/s/${token}`).expect(200);
    expect(seen.shares).toEqual([link.id]);
  });

  it('deleting a photo fires photo.deleted with its id', async () => {
    const id = (await t.db.dataSource.query(`SELECT id FROM photos WHERE original_name = 'explode-after.jpg'`))[0].id;
    await http.delete(`/api/v1/photos/${id}`).set(admin).expect(204);
    expect(seen.deleted).toContain(id);
  });
});
