import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveThemeSettings } from '../../src/admin/admin-theme.catalog.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { ThemeService } from '../../src/site/theme.service.js';
import { UserService } from '../../src/users/user.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { as, installTestPrincipal, userPrincipal } from '../support/test-principal.js';

/** A JPEG as a Sony body writes it: aperture priority, pattern metering, flash off, auto WB, 52 mm equivalent. */
function cameraJpeg(shade: number, exif: Record<string, string>): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 90, b: 140 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'SONY', Model: 'ILCE-7M3' }, IFD2: exif })
    .toBuffer();
}

describe('exif-details plugin, end to end', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let albumId: number;
  let sony: number;
  let manual: number;
  const http = () => request(t.app.getHttpServer());

  async function upload(name: string, bytes: Buffer): Promise<number> {
    const res = await http().post('/api/v1/photos').set(admin).field('albumIds', String(albumId)).attach('file', bytes, name);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.photos?.[0]?.id ?? res.body.id;
  }

  beforeAll(async () => {
    t = await createTestApp({ PLUGINS_ENABLE: 'exif-details' }, { beforeInit: installTestPrincipal });
    const adminId = (await t.app.get(UserService).create({ username: 'boss', role: 'admin' })).id;
    admin = as(userPrincipal(adminId, 'admin', 8));
    albumId = (await t.app.get(AlbumService).create({ name: 'Cameras' })).id;
    sony = await upload('sony.jpg', await cameraJpeg(10, { ExposureProgram: '3', FocalLengthIn35mmFilm: '52', MeteringMode: '5', Flash: '16', WhiteBalance: '0', LensMake: 'Sony' }));
    manual = await upload('manual.jpg', await cameraJpeg(200, { ExposureProgram: '1', Flash: '9', WhiteBalance: '1' }));
  });
  afterAll(() => t?.close());

  it('stores the fields read at ingest, typed, in the plugin namespace', async () => {
    const [row] = await t.db.dataSource.query(`SELECT plugin_data FROM photos WHERE id = $1`, [sony]);
    expect(row.plugin_data).toEqual({
      'exif-details': { lensMake: 'Sony', focalLength35mm: 52, exposureProgram: 'Aperture priority', meteringMode: 'Pattern', flash: 'Did not fire', whiteBalance: 'Auto' },
    });
    const [other] = await t.db.dataSource.query(`SELECT plugin_data FROM photos WHERE id = $1`, [manual]);
    expect(other.plugin_data['exif-details']).toEqual({ exposureProgram: 'Manual', flash: 'Fired', whiteBalance: 'Manual' });
  });

  it('the public REST API shows them to guests', async () => {
    const res = await http().get(`/api/v1/photos/${sony}`).expect(200);
    expect(res.body.fields).toMatchObject({ focalLength35mm: 52, exposureProgram: 'Aperture priority', flash: 'Did not fire' });
  });

  it('they are validated like every plugin field: a wrong enum value or number is refused, nothing written', async () => {
    const bad = await http().patch(`/api/v1/photos/${sony}`).set(admin).send({ fields: { exposureProgram: 'Sport', focalLength35mm: 0 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('exposureProgram');
    expect(JSON.stringify(bad.body)).toContain('focalLength35mm');
    const [row] = await t.db.dataSource.query(`SELECT plugin_data -> 'exif-details' ->> 'exposureProgram' AS p FROM photos WHERE id = $1`, [sony]);
    expect(row.p).toBe('Aperture priority');
  });

  it('searchable: the site search and the REST search find photos by these values', async () => {
    const site = await http().get('/search?q=aperture%20priority').expect(200);
    expect(site.text).toContain(`/photos/${sony}`);
    expect(site.text).not.toContain(`/photos/${manual}"`);
    const api = await http().get('/api/v1/photos?q=Manual').expect(200);
    expect(api.body.items.map((p: { id: number }) => p.id)).toEqual([manual]);
  });

  it.each(['default', 'portfolio'])('photo pages show them in the %s theme (details panel on)', async (theme) => {
    await saveThemeSettings(t.db.dataSource.manager, theme, { show_metadata: true }); // portfolio hides the panel by default
    await t.app.get(ThemeService).activate(theme);
    try {
      const page = await http().get(`/photos/${sony}`).expect(200);
      expect(page.text).toContain('Exposure program');
      expect(page.text).toContain('Aperture priority');
      expect(page.text).toContain('Focal length (35 mm equivalent)');
      expect(page.text).toContain('52 mm'); // the field's own format
      expect(page.text).toContain('Did not fire');
    } finally {
      await t.app.get(ThemeService).activate('default');
    }
  });
});
