import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbumService } from '../../src/albums/album.service.js';
import { GrantService } from '../../src/access/grant.service.js';
import { GroupService } from '../../src/groups/group.service.js';
import { JOB_QUEUE, type JobRunner } from '../../src/jobs/job-queue.js';
import { insertPhotoRows } from '../support/photo-rows.js';
import { followFlash, startAdminApp, type AdminSession, type AdminTestApp } from './admin-support.js';

describe('admin: layout, dashboard and albums', () => {
  let a: AdminTestApp;
  let admin: AdminSession;
  let editor: AdminSession;
  let member: AdminSession;
  let albums: AlbumService;
  beforeAll(async () => {
    a = await startAdminApp();
    admin = await a.login('ada', 'admin');
    editor = await a.login('eddie', 'editor');
    member = await a.login('mia', 'member');
    albums = a.t.app.get(AlbumService);
  });
  afterAll(() => a?.close());

  it('sends guests to the login form with the page as next, for pages and form posts', async () => {
    const page = await a.get('/admin/albums?x=1').expect(303);
    expect(page.headers.location).toBe(`/login?next=${encodeURIComponent('/admin/albums?x=1')}`);
    expect((await a.get('/admin').expect(303)).headers.location).toBe('/login?next=%2Fadmin');
    const post = await a.post('/admin/albums', undefined, { name: 'x' }).expect(303);
    expect(post.headers.location).toBe('/login?next=%2Fadmin');
    expect(await albums.children(null)).toEqual([]);
  });

  it('answers 403 pages to members on every route, GET and POST', async () => {
    for (const path of ['/admin', '/admin/albums', '/admin/albums/1']) {
      const res = await a.get(path, member).expect(403);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('Not allowed');
    }
    await a.post('/admin/albums', member, { name: 'nope' }).expect(403);
    expect(await albums.children(null)).toEqual([]);
  });

  it('shows the job queue on the dashboard: counts per state and the last error of a failed job (pg-boss on Postgres)', async () => {
    const queue = a.t.app.get<JobRunner>(JOB_QUEUE);
    queue.work('t.dashboard', async () => {
      throw new Error('disk on fire');
    });
    const id = (await queue.enqueue('t.dashboard', {}, { maxAttempts: 1 }))!;
    await queue.drain();
    const res = await a.get('/admin', admin).expect(200);
    expect(res.text).toMatch(/data-job-state="failed">1</);
    expect(res.text).toContain(`#${id}`);
    expect(res.text).toContain('Error: disk on fire');
  });

  it('renders the dashboard with counts, job states and recent activity for admins', async () => {
    await albums.create({ name: 'Counted' });
    const res = await a.get('/admin', admin).expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toMatch(/data-stat="albums">1</);
    expect(res.text).toMatch(/data-stat="users">3</);
    expect(res.text).toContain('data-job-state="failed"');
    expect(res.text).toContain('auth.login');
    expect(res.text).toMatch(/<nav class="sidebar" aria-label="Administration">/);
    expect(res.text).toContain('href="/admin/users"');
    // Editors see the dashboard without the audit log or the admin-only menu entries.
    const ed = await a.get('/admin', editor).expect(200);
    expect(ed.text).not.toContain('Recent activity');
    expect(ed.text).not.toContain('href="/admin/users"');
    expect(ed.text).toContain('href="/admin/albums"');
    await albums.delete((await albums.children(null))[0]!.id, 'keep');
  });

  it('refuses album form posts without the session CSRF token, and with a wrong one', async () => {
    await a.post('/admin/albums', admin, { name: 'Forged' }, { csrf: false }).expect(403);
    await a.post('/admin/albums', admin, { name: 'Forged', _csrf: 'x'.repeat(43) }, { csrf: false }).expect(403);
    await a.post('/admin/albums', admin, { name: 'Forged' }).set('Origin', 'https://evil.example').expect(403);
    expect(await albums.children(null)).toEqual([]);
  });

  it('creates nested albums, shows them in the tree (escaped), and refuses bad input with a message', async () => {
    const res = await a.post('/admin/albums', admin, { name: 'Weddings', parentId: '', status: 'public' });
    expect(await followFlash(a, admin, res)).toBe('success: Album “Weddings” created.');
    const top = (await albums.children(null))[0]!;
    await a.post('/admin/albums', editor, { name: '<script>alert(1)</script>', parentId: String(top.id), status: 'private' }).expect(303);
    const child = (await albums.children(top.id))[0]!;
    expect(child.status).toBe('private');
    const tree = await a.get('/admin/albums', admin).expect(200);
    expect(tree.text).not.toContain('<script>alert(1)</script>');
    expect(tree.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(tree.text).toMatch(new RegExp(`id="album-${child.id}"`));
    const bad = await a.post('/admin/albums', admin, { name: '   ' }).set('Referer', 'http://127.0.0.1/admin/albums');
    expect(await followFlash(a, admin, bad)).toMatch(/^error: The form is not valid: name: enter a name/);
    await a.post('/admin/albums', admin, { name: 'x', bogus: '1' }).expect(303);
    expect(await albums.children(null)).toHaveLength(1);
  });

  it('renames, describes, changes status, moves, reorders (order form and up/down) and deletes', async () => {
    const top = (await albums.children(null))[0]!;
    const b = await albums.create({ name: 'B' });
    const c = await albums.create({ name: 'C' });
    await a.post(`/admin/albums/${top.id}`, admin, { name: 'Weddings 2026', description: 'Summer', status: 'private', visible: 'on' }).expect(303);
    let got = await albums.get(top.id);
    expect([got.name, got.description, got.status, got.visible]).toEqual(['Weddings 2026', 'Summer', 'private', true]);
    await a.post(`/admin/albums/${top.id}`, admin, { name: 'Weddings 2026', description: '', status: 'public' }).expect(303);
    got = await albums.get(top.id);
    expect([got.description, got.status, got.visible]).toEqual([null, 'public', false]);

    const ids = async () => (await albums.children(null)).map((x) => x.id);
    expect(await ids()).toEqual([top.id, b.id, c.id]);
    await a.post(`/admin/albums/${c.id}/shift`, admin, { direction: 'up' }).expect(303);
    expect(await ids()).toEqual([top.id, c.id, b.id]);
    await a.post(`/admin/albums/${top.id}/shift`, admin, { direction: 'up' }).expect(303); // already first: no change
    expect(await ids()).toEqual([top.id, c.id, b.id]);
    const json = await a.post('/admin/albums/order', admin, { parentId: '', ids: `${b.id},${top.id},${c.id}` }).set('Accept', 'application/json').expect(200);
    expect(json.body).toEqual({ ok: true });
    expect(await ids()).toEqual([b.id, top.id, c.id]);
    await a.post('/admin/albums/order', admin, { parentId: '', ids: `${b.id}` }).expect(303); // incomplete order refused
    expect(await ids()).toEqual([b.id, top.id, c.id]);

    await a.post(`/admin/albums/${c.id}/move`, admin, { parentId: String(b.id) }).expect(303);
    expect((await albums.get(c.id)).parentId).toBe(b.id);
    const cycle = await a.post(`/admin/albums/${b.id}/move`, admin, { parentId: String(c.id) });
    expect(await followFlash(a, admin, cycle)).toMatch(/^error: /);
    expect((await albums.get(b.id)).parentId).toBeNull();

    await a.post(`/admin/albums/${b.id}/delete`, admin, { photos: 'keep' }).expect(303); // no confirmation: refused
    expect((await albums.get(b.id)).id).toBe(b.id);
    await a.post(`/admin/albums/${b.id}/delete`, admin, { photos: 'keep', confirm: 'on' }).expect(303);
    await expect(albums.get(c.id)).rejects.toThrow();
  });

  it('grants an album to a group and a user, revokes, and sets the representative photo', async () => {
    const album = (await albums.children(null))[0]!;
    const group = await a.t.app.get(GroupService).create({ name: 'Clients' });
    const grants = a.t.app.get(GrantService);
    await a.post(`/admin/albums/${album.id}/grants`, admin, { groupId: String(group.id), userId: '' }).expect(303);
    await a.post(`/admin/albums/${album.id}/grants`, admin, { groupId: '', userId: String(member.userId) }).expect(303);
    expect(await grants.list(album.id)).toEqual({ userIds: [member.userId], groupIds: [group.id] });
    const page = await a.get(`/admin/albums/${album.id}`, admin).expect(200);
    expect(page.text).toContain('Group: Clients');
    expect(page.text).toContain('User: mia');
    const empty = await a.post(`/admin/albums/${album.id}/grants`, admin, { groupId: '', userId: '' });
    expect(await followFlash(a, admin, empty)).toBe('error: Choose a user or a group to grant access to.');
    await a.post(`/admin/albums/${album.id}/grants/revoke`, admin, { groupId: String(group.id) }).expect(303);
    expect(await grants.list(album.id)).toEqual({ userIds: [member.userId], groupIds: [] });

    const [p1, p2] = await insertPhotoRows(a.t.db.dataSource, 2);
    await albums.linkPhotos(album.id, [p1!, p2!]);
    await a.post(`/admin/albums/${album.id}/representative`, admin, { photoId: String(p2) }).expect(303);
    expect((await albums.get(album.id)).representativePhotoId).toBe(p2);
    expect((await a.get(`/admin/albums/${album.id}`, admin)).text).toMatch(new RegExp(`value="${p2}" checked`));
    await a.post(`/admin/albums/${album.id}/representative`, admin, { photoId: '' }).expect(303);
    expect((await albums.get(album.id)).representativePhotoId).toBeNull();
  });

  it('answers an HTML 404 for unknown albums and records admin writes in the audit log', async () => {
    const res = await a.get('/admin/albums/999999', admin).expect(404);
    expect(res.text).toContain('Not found');
    await a.get('/admin/albums/abc', admin).expect(404);
    const rows: { action: string }[] = await a.t.db.dataSource.query(`SELECT action FROM audit_log WHERE action LIKE 'admin_albums.%'`);
    expect(rows.map((r) => r.action)).toContain('admin_albums.create');
  });

  it('serves its assets with an ETag and immutable caching', async () => {
    const page = await a.get('/admin', admin).expect(200);
    const href = /href="(\/admin\/assets\/admin\.css\?v=[0-9a-f]+)"/.exec(page.text)![1]!;
    const css = await a.get(href).expect(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect(css.headers['cache-control']).toContain('immutable');
    await a.get(href).set('If-None-Match', css.headers.etag as string).expect(304);
    await a.get('/admin/assets/vendor/tus.min.js').expect(200);
    await a.get('/admin/assets/..%2Fviews%2Flayout.hbs').expect(404);
  });
});
