import { Readable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbumService } from '../../src/albums/album.service.js';
import { PhotoIngestService } from '../../src/photos/photo-ingest.service.js';
import { startAdminApp, type AdminSession, type AdminTestApp } from './admin-support.js';
import { jpeg } from './media-harness.js';

/** The watermark is configured in the admin: its settings page saves, validates, and takes effect at once. */
describe('watermark plugin: admin settings page', () => {
  let a: AdminTestApp;
  let admin: AdminSession;
  let member: AdminSession;
  let photo: number;
  const PAGE = '/admin/plugins/watermark/settings';
  const settings = async () => (await a.t.db.dataSource.query(`SELECT settings FROM plugins WHERE name = 'watermark'`))[0].settings;
  const etag = async (size: string, s?: AdminSession) => {
    const r = request(a.server).get(`/media/photos/${photo}/${size}.jpg`);
    const res = await (s ? r.set('Cookie', s.cookie) : r).expect(200);
    return res.headers['etag'] as string;
  };

  beforeAll(async () => {
    a = await startAdminApp({ PLUGINS_ENABLE: 'watermark' });
    admin = await a.login('boss', 'admin');
    member = await a.login('mia', 'member');
    const album = await a.t.app.get(AlbumService).create({ name: 'Open' });
    const result = await a.t.app.get(PhotoIngestService).ingest({
      source: { stream: Readable.from([await jpeg(77, 1200, 900)]) },
      originalName: 'a.jpg',
      albumIds: [album.id],
      principal: { kind: 'user', userId: admin.userId, username: 'boss', role: 'admin', privacyLevel: 8 },
    });
    photo = result.photo.id;
  });
  afterAll(() => a?.close());

  it('shows the form with the current settings and a preview, to admins only', async () => {
    const page = await a.get(PAGE, admin).expect(200);
    expect(page.text).toContain('name="_csrf"');
    expect(page.text).toContain('value="Preview"');
    expect(page.text).toMatch(/<img src="data:image\/jpeg;base64,[A-Za-z0-9+/]+(&#x3D;)*"/); // '=' escaped by Handlebars
    expect(page.text).toMatch(/<option value="bottom-right" selected>/);
    expect((await a.get('/admin/plugins', admin).expect(200)).text).toContain(PAGE);
    const refused = await a.get(PAGE, member);
    expect(refused.status).toBe(403);
  });

  it('saving applies at once: new mark, new sizes; the variant cache key changes', async () => {
    const before = { medium: await etag('medium'), large: await etag('large'), cleanLarge: await etag('large', member) };
    expect(before.large).not.toBe(before.cleanLarge); // large is watermarked by default

    const saved = await a.post(PAGE, admin, { mode: 'text', text: '© Ada & co', color: '#ff0000', opacity: '0.8', position: 'top-left', scale: '0.4', margin: '0.02', sizes: ['medium'] });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Settings saved.');
    expect(saved.text).toContain('value="© Ada &amp; co"');
    expect(await settings()).toMatchObject({ text: '© Ada & co', opacity: 0.8, position: 'top-left', sizes: ['medium'] });

    expect(await etag('medium')).not.toBe(before.medium); // re-rendered with the new settings
    expect(await etag('large')).toBe(before.cleanLarge); // no longer watermarked
  });

  it('refuses invalid settings with the reasons, and keeps the stored ones', async () => {
    const stored = await settings();
    const res = await a.post(PAGE, admin, { mode: 'image', text: '', opacity: '5', position: 'middle', scale: '0.3', margin: '0.03' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('The settings were not saved');
    expect(res.text).toMatch(/opacity/);
    expect(res.text).toMatch(/position/);
    expect(await settings()).toEqual(stored);
  });

  it('a POST without the CSRF token is refused', async () => {
    const res = await a.post(PAGE, admin, { text: 'x' }, { csrf: false });
    expect(res.status).toBe(403);
  });
});
