import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbumService } from '../../src/albums/album.service.js';
import { insertPhotoRows } from '../support/photo-rows.js';
import { followFlash, startAdminApp, type AdminSession, type AdminTestApp } from './admin-support.js';

describe('admin: photos', () => {
  let a: AdminTestApp;
  let admin: AdminSession;
  let editor: AdminSession;
  let member: AdminSession;
  let contributor: AdminSession;
  let albums: AlbumService;
  let ids: number[];
  let albumId: number;
  const row = async (id: number) =>
    ((await a.t.db.dataSource.query(`SELECT title, description, privacy_level FROM photos WHERE id = $1`, [id])) as { title: string | null; description: string | null; privacy_level: number }[])[0];
  const albumsOf = async (id: number) =>
    ((await a.t.db.dataSource.query(`SELECT album_id FROM album_photos WHERE photo_id = $1 ORDER BY album_id`, [id])) as { album_id: number }[]).map((r) => r.album_id);

  beforeAll(async () => {
    a = await startAdminApp();
    admin = await a.login('ada', 'admin');
    editor = await a.login('eddie', 'editor');
    member = await a.login('mia', 'member');
    contributor = await a.login('cory', 'contributor');
    albums = a.t.app.get(AlbumService);
    albumId = (await albums.create({ name: 'Portraits' })).id;
    ids = await insertPhotoRows(a.t.db.dataSource, 5);
    await albums.linkPhotos(albumId, ids.slice(0, 3));
    await a.t.db.dataSource.query(`UPDATE photos SET title = '<b>Bold</b> & co' WHERE id = $1`, [ids[0]]);
  });
  afterAll(() => a?.close());

  it('redirects guests and refuses members and contributors on every photo route', async () => {
    expect((await a.get('/admin/photos').expect(303)).headers.location).toBe('/login?next=%2Fadmin%2Fphotos');
    for (const s of [member, contributor]) {
      await a.get('/admin/photos', s).expect(403);
      await a.get(`/admin/photos/${ids[0]}`, s).expect(403);
      await a.post(`/admin/photos/${ids[0]}`, s, { title: 'x', description: '', tags: '', privacyLevel: '0' }).expect(403);
      await a.post('/admin/photos/bulk', s, { ids: String(ids[0]), action: 'delete', confirm: 'on' }).expect(403);
    }
    expect((await row(ids[0]!))!.title).toBe('<b>Bold</b> & co');
  });

  it('lists photos with filters, escaped titles, the upload zone and the bulk form', async () => {
    const all = await a.get('/admin/photos', editor).expect(200);
    expect(all.text).toContain('5 photos');
    expect(all.text).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; co');
    expect(all.text).not.toContain('<b>Bold</b>');
    expect(all.text).toContain('data-tus-endpoint="/api/v1/uploads/tus"');
    expect(all.text).toMatch(/src="\/admin\/assets\/vendor\/tus\.min\.js\?v=[0-9a-f]+"/);
    expect(all.text).toContain('action="/admin/photos/bulk"');
    const inAlbum = await a.get(`/admin/photos?album=${albumId}`, editor).expect(200);
    expect(inAlbum.text).toContain('3 photos');
    expect((await a.get('/admin/photos?album=none', editor).expect(200)).text).toContain('2 photos');
    expect((await a.get('/admin/photos?q=bold', editor).expect(200)).text).toContain('1 photo matching');
    await a.get('/admin/photos?album=abc', editor).expect(400);
    await a.get('/admin/photos?evil=1', editor).expect(400);
  });

  it('edits title, description, tags and privacy; refuses a bad form without writing', async () => {
    const id = ids[1]!;
    const res = await a.post(`/admin/photos/${id}`, admin, { title: ' Sunset ', description: 'Golden hour', tags: 'sea, summer;  sky', privacyLevel: '4' });
    expect(await followFlash(a, admin, res)).toBe('success: Photo saved.');
    expect(await row(id)).toEqual({ title: 'Sunset', description: 'Golden hour', privacy_level: 4 });
    const tags: { name: string }[] = await a.t.db.dataSource.query(`SELECT t.name FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.photo_id = $1 ORDER BY t.name`, [id]);
    expect(tags.map((t) => t.name)).toEqual(['sea', 'sky', 'summer']);
    const page = await a.get(`/admin/photos/${id}`, admin).expect(200);
    expect(page.text).toContain('value="sea, sky, summer"');
    expect(page.text).toMatch(/<option value="4" selected>Family<\/option>/);
    await a.post(`/admin/photos/${id}`, admin, { title: 'x', description: '', tags: '', privacyLevel: '3' }).expect(303);
    expect((await row(id))!.privacy_level).toBe(4);
    await a.post(`/admin/photos/${id}`, admin, { title: 'No token', description: '', tags: '', privacyLevel: '0' }, { csrf: false }).expect(403);
    expect((await row(id))!.title).toBe('Sunset');
    // An editor (privacy level 0) cannot raise a photo above their own level.
    const above = await a.post(`/admin/photos/${id}`, editor, { title: 'x', description: '', tags: '', privacyLevel: '8' });
    expect(await followFlash(a, editor, above)).toMatch(/^error: You can set privacy levels up to your own/);
  });

  it('links a photo to an album and removes it', async () => {
    const id = ids[3]!;
    await a.post(`/admin/photos/${id}/albums`, admin, { albumId: String(albumId) }).expect(303);
    expect(await albumsOf(id)).toEqual([albumId]);
    expect((await a.get(`/admin/photos/${id}`, admin)).text).toContain(`href="/admin/albums/${albumId}">Portraits</a>`);
    await a.post(`/admin/photos/${id}/albums/unlink`, admin, { albumId: String(albumId) }).expect(303);
    expect(await albumsOf(id)).toEqual([]);
    await a.post('/admin/photos/999999/albums', admin, { albumId: String(albumId) }).expect(303);
    expect((await a.get(`/admin/photos/999999`, admin)).status).toBe(404);
  });

  it('applies bulk actions to the selected photos: link, privacy, unlink, delete (with confirmation)', async () => {
    const [p3, p4] = [ids[3]!, ids[4]!];
    const b = await albums.create({ name: 'Selects' });
    await a.post('/admin/photos/bulk', admin, { ids: [String(p3), String(p4)], action: 'link', albumId: String(b.id), returnTo: '/admin/photos?album=none' }).expect(303);
    expect(await albumsOf(p3)).toEqual([b.id]);
    expect(await albumsOf(p4)).toEqual([b.id]);
    const priv = await a.post('/admin/photos/bulk', admin, { ids: [String(p3), String(p4)], action: 'privacy', privacyLevel: '2' });
    expect(await followFlash(a, admin, priv)).toBe('success: Privacy of 2 photo(s) changed.');
    expect((await row(p4))!.privacy_level).toBe(2);
    await a.post('/admin/photos/bulk', admin, { ids: String(p3), action: 'unlink', albumId: String(b.id) }).expect(303);
    expect(await albumsOf(p3)).toEqual([]);
    const noConfirm = await a.post('/admin/photos/bulk', admin, { ids: String(p3), action: 'delete' });
    expect(await followFlash(a, admin, noConfirm)).toBe('error: Tick the confirmation box to delete the selected photos.');
    expect(await row(p3)).toBeDefined();
    await a.post('/admin/photos/bulk', admin, { ids: [String(p3), String(p4)], action: 'delete', confirm: 'on' }).expect(303);
    expect(await row(p3)).toBeUndefined();
    expect(await row(p4)).toBeUndefined();
    expect((await albums.get(b.id)).photoCount).toBe(0);
  });

  it('deletes one photo after confirmation', async () => {
    const id = ids[2]!;
    await a.post(`/admin/photos/${id}/delete`, admin, {}).expect(303);
    expect(await row(id)).toBeDefined();
    const res = await a.post(`/admin/photos/${id}/delete`, admin, { confirm: 'on' });
    expect(await followFlash(a, admin, res)).toBe('success: Photo deleted.');
    expect(await row(id)).toBeUndefined();
    expect((await albums.get(albumId)).photoCount).toBe(2);
  });
});
