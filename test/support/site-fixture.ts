import type { DataSource } from 'typeorm';
import type { Principal } from '../../src/access/principal.js';
import { ShareLinkService } from '../../src/access/share-link.service.js';
import { AlbumService } from '../../src/albums/album.service.js';
import type { TestApp } from './test-app.js';

export const XSS = '<script>alert(1)</script>';
export const SHARE_PASSWORD = 'open sesame';

/**
 * A small gallery for site tests:
 * - `pub` (public, hostile name) ⊃ `privChild` (private) and `pubChild` (public, 65 photos);
 * - `secret` (private, top level), `hidden` (public but not visible);
 * - photos at privacy 0 and 4, a tag only private photos carry, a tag on a public photo.
 */
export interface SiteFixture {
  albums: { pub: number; privChild: number; pubChild: number; secret: number; hidden: number };
  photos: { pubPhoto: number; familyPhoto: number; privChildPhoto: number; secretPhoto: number; hiddenPhoto: number; wildcard: number; bulk: number[] };
  tags: { beach: string; secretTag: string };
  share: { passwordToken: string; openToken: string; selectionToken: string };
  admin: Principal;
  family: Principal;
}

async function photo(ds: DataSource, title: string | null, level = 0, extra: { description?: string; takenAt?: string } = {}): Promise<number> {
  const rows: { id: number }[] = await ds.query(
    `INSERT INTO photos (title, description, original_name, width, height, privacy_level, taken_at, camera_make, camera_model, exposure_time, f_number, latitude, longitude)
     VALUES ($1, $2, 'IMG_0001.jpg', 6000, 4000, $3, $4, 'Fujifilm', 'X-T4', 0.004, 2.8, 67.9, 13.08) RETURNING id`,
    [title, extra.description ?? null, level, extra.takenAt ?? '2024-02-14T08:42:00Z'],
  );
  return rows[0]!.id;
}

async function tag(ds: DataSource, name: string, slug: string, photoIds: number[]): Promise<void> {
  const [row]: { id: number }[] = await ds.query(`INSERT INTO tags (name, slug) VALUES ($1, $2) RETURNING id`, [name, slug]);
  for (const id of photoIds) await ds.query(`INSERT INTO photo_tags (photo_id, tag_id) VALUES ($1, $2)`, [id, row!.id]);
}

export async function seedSite(t: TestApp): Promise<SiteFixture> {
  const ds = t.db.dataSource;
  const albumsSvc = t.app.get(AlbumService);
  const pub = (await albumsSvc.create({ name: `Public ${XSS}`, slug: 'public' })).id;
  const privChild = (await albumsSvc.create({ name: 'Private child', parentId: pub, status: 'private' })).id;
  const pubChild = (await albumsSvc.create({ name: 'Public child', parentId: pub })).id;
  const secret = (await albumsSvc.create({ name: 'Secret album', status: 'private' })).id;
  const hidden = (await albumsSvc.create({ name: 'Hidden album', visible: false })).id;

  const pubPhoto = await photo(ds, `Sunset ${XSS}`, 0, { description: `Caption "><img src=x onerror=alert(1)>` });
  const familyPhoto = await photo(ds, 'Family only', 4);
  const privChildPhoto = await photo(ds, 'Private child photo');
  const secretPhoto = await photo(ds, 'Secret photo');
  const hiddenPhoto = await photo(ds, 'Hidden photo');
  const wildcard = await photo(ds, 'Sale 100%_off');
  await albumsSvc.linkPhotos(pub, [pubPhoto, familyPhoto]);
  await albumsSvc.linkPhotos(privChild, [privChildPhoto]);
  await albumsSvc.linkPhotos(secret, [secretPhoto]);
  await albumsSvc.linkPhotos(hidden, [hiddenPhoto]);
  await albumsSvc.setRepresentative(pub, privChildPhoto); // a private cover must never show
  const bulkRows: { id: number }[] = await ds.query(
    `INSERT INTO photos (title, original_name, width, height, taken_at)
     SELECT 'Bulk ' || g, 'b.jpg', 4000, 3000, timestamptz '2023-01-01' + g * interval '1 day' FROM generate_series(1, 64) g RETURNING id`,
  );
  const bulk = bulkRows.map((r) => r.id);
  await albumsSvc.linkPhotos(pubChild, [wildcard, ...bulk]);
  await tag(ds, `Beach ${XSS}`, 'beach', [pubPhoto]);
  await tag(ds, 'Secret tag', 'secret-tag', [privChildPhoto, secretPhoto, familyPhoto]);

  const shares = t.app.get(ShareLinkService);
  const passwordToken = (await shares.create({ albumId: secret, password: SHARE_PASSWORD, label: `For you ${XSS}` })).token;
  const openToken = (await shares.create({ albumId: secret })).token;
  const selectionToken = (await shares.create({ photoIds: [secretPhoto, privChildPhoto] })).token;

  return {
    albums: { pub, privChild, pubChild, secret, hidden },
    photos: { pubPhoto, familyPhoto, privChildPhoto, secretPhoto, hiddenPhoto, wildcard, bulk },
    tags: { beach: 'beach', secretTag: 'secret-tag' },
    share: { passwordToken, openToken, selectionToken },
    admin: { kind: 'user', userId: 1, username: 'admin', role: 'admin', privacyLevel: 8 },
    family: { kind: 'user', userId: 2, username: 'fam', role: 'member', privacyLevel: 4 },
  };
}
