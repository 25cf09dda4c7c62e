import { GrantService } from '../../../src/access/grant.service.js';
import { ShareLinkService } from '../../../src/access/share-link.service.js';
import { AlbumService } from '../../../src/albums/album.service.js';
import { GroupService } from '../../../src/groups/group.service.js';
import type { TestApp } from '../../support/test-app.js';
import { createUser, ingestPhotos, type SeededUser } from './gallery-seed.js';

export const SHARE_PASSWORD = 'proofs-2026';

/**
 * A photographer's gallery for site browser tests (real JPEGs, derivatives built):
 * - `Iceland` (public, 15 photos: the album page of the speed target) ⊃ `Highlands` (public, 4);
 * - `Portraits` (public, 3 portrait photos);
 * - `Wedding proofs` (PRIVATE, 3 photos), granted to the group `Clients` (member `clara`), shared
 *   by a password link (`SHARE_PASSWORD`);
 * - `Archive` (public, `archiveCount` photo rows without files: enough for several pages).
 */
export interface DemoGallery {
  admin: SeededUser;
  client: SeededUser;
  stranger: SeededUser;
  albums: { iceland: number; highlands: number; portraits: number; proofs: number; archive: number };
  photos: { iceland: number[]; highlands: number[]; portraits: number[]; proofs: number[] };
  shareToken: string;
}

const ICELAND = ['Skógafoss at dawn', 'Black sand beach', 'Reynisdrangar', 'Glacier lagoon', 'Northern lights', 'Kirkjufell', 'Fjord road', 'Basalt columns', 'Geysir', 'Moss fields', 'Lava plain', 'Harbour at dusk', 'Snow ridge', 'Turf houses', 'Lighthouse'];

export async function seedDemoGallery(t: TestApp, options: { archiveCount?: number } = {}): Promise<DemoGallery> {
  const albums = t.app.get(AlbumService);
  const admin = await createUser(t, 'ada', { role: 'admin' });
  const client = await createUser(t, 'clara');
  const stranger = await createUser(t, 'sam');
  const iceland = (await albums.create({ name: 'Iceland', description: 'Two weeks along the ring road, in late autumn light.' })).id;
  const highlands = (await albums.create({ name: 'Highlands', parentId: iceland })).id;
  const portraits = (await albums.create({ name: 'Portraits' })).id;
  const proofs = (await albums.create({ name: 'Wedding proofs', status: 'private', description: 'For Clara and Jon only.' })).id;
  const archive = (await albums.create({ name: 'Archive' })).id;

  const photos = {
    iceland: await ingestPhotos(t, [iceland], ICELAND.map((title, i) => ({ title, tags: i % 3 === 0 ? ['waterfall'] : ['landscape'], description: i === 0 ? 'The falls, before the first bus.' : undefined })), admin.principal, 0),
    highlands: await ingestPhotos(t, [highlands], ['Landmannalaugar', 'Rhyolite hills', 'Hot spring', 'Crater lake'].map((title) => ({ title, tags: ['highlands'] })), admin.principal, 20),
    portraits: await ingestPhotos(t, [portraits], ['Anna', 'Jon', 'Grandmother'].map((title) => ({ title, portrait: true })), admin.principal, 30),
    proofs: await ingestPhotos(t, [proofs], ['First dance', 'Ring exchange', 'Confetti'].map((title) => ({ title, tags: ['wedding'] })), admin.principal, 40),
  };
  const count = options.archiveCount ?? 0;
  if (count > 0) {
    const rows: { id: number }[] = await t.db.dataSource.query(
      `INSERT INTO photos (title, original_name, width, height, taken_at)
       SELECT 'Archive ' || g, 'a.jpg', 3000, 2000, timestamptz '2020-01-01' + g * interval '1 day' FROM generate_series(1, $1::int) g RETURNING id`,
      [count],
    );
    await albums.linkPhotos(archive, rows.map((r) => r.id));
  }

  const group = await t.app.get(GroupService).create({ name: 'Clients' });
  await t.app.get(GroupService).addMembers(group.id, [client.id]);
  await t.app.get(GrantService).grant(proofs, { groupIds: [group.id] });
  const shareToken = (await t.app.get(ShareLinkService).create({ albumId: proofs, password: SHARE_PASSWORD, label: 'Clara & Jon' })).token;
  return { admin, client, stranger, albums: { iceland, highlands, portraits, proofs, archive }, photos, shareToken };
}
