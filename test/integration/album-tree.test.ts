import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Album } from '../../src/albums/album.entity.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { VitrineError } from '../../src/common/errors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPhotoRows } from '../support/photo-rows.js';

describe('album tree (integration)', () => {
  let db: TestDatabase;
  let albums: AlbumService;
  beforeAll(async () => {
    db = await createTestDatabase();
    albums = new AlbumService(db.dataSource);
  });
  afterAll(() => db?.close());

  const errorOf = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as VitrineError;
    }
    throw new Error('expected an error');
  };

  it('creates nested albums with slugs, depths and positions', async () => {
    const top = await albums.create({ name: 'Travel 2024' });
    expect(top).toMatchObject({ slug: 'travel-2024', depth: 0, parentId: null });
    const a = await albums.create({ name: 'Japan', parentId: top.id });
    const b = await albums.create({ name: 'Japan', parentId: top.id });
    expect([a.slug, b.slug]).toEqual(['japan', 'japan-2']);
    expect([a.position, b.position]).toEqual([0, 1]);
    const first = await albums.create({ name: 'Intro', parentId: top.id, position: 0 });
    expect((await albums.children(top.id)).map((x) => x.id)).toEqual([first.id, a.id, b.id]);
    expect((await albums.get(top.id)).childCount).toBe(3);
    expect((await albums.get(top.id)).descendantCount).toBe(3);
  });

  it('refuses empty names, bad and duplicate explicit slugs, and unknown parents', async () => {
    expect((await errorOf(albums.create({ name: '   ' }))).code).toBe('album.name_required');
    expect((await errorOf(albums.create({ name: 'x'.repeat(256) }))).code).toBe('album.name_too_long');
    expect((await errorOf(albums.create({ name: 'X', slug: 'Not A Slug' }))).code).toBe('album.invalid_slug');
    await albums.create({ name: 'Unique', slug: 'unique' });
    const dup = await errorOf(albums.create({ name: 'Other', slug: 'unique' }));
    expect(dup).toMatchObject({ kind: 'conflict', code: 'album.slug_taken' });
    expect(await errorOf(albums.create({ name: 'Orphan', parentId: 999_999 }))).toMatchObject({ kind: 'not_found', code: 'album.not_found' });
  });

  it('handles a tree 60 levels deep: ancestors, descendants, move, cycle refusal', async () => {
    const chain = [await albums.create({ name: 'Deep 0' })];
    for (let i = 1; i < 60; i++) chain.push(await albums.create({ name: `Deep ${i}`, parentId: chain[i - 1]!.id }));
    const leaf = chain[59]!;
    expect(leaf.depth).toBe(59);
    expect((await albums.ancestors(leaf.id)).map((a) => a.id)).toEqual(chain.slice(0, 59).map((a) => a.id));
    expect((await albums.descendants(chain[0]!.id)).map((a) => a.id)).toEqual(chain.slice(1).map((a) => a.id));

    const cycle = await errorOf(albums.move(chain[10]!.id, chain[40]!.id));
    expect(cycle).toMatchObject({ kind: 'conflict', code: 'album.move_cycle' });
    expect((await errorOf(albums.move(chain[10]!.id, chain[10]!.id))).message).toMatch(/into itself/);

    const photos = await insertPhotoRows(db.dataSource, 3);
    await albums.linkPhotos(leaf.id, photos);
    expect((await albums.get(chain[0]!.id)).totalPhotoCount).toBe(3);

    // Move the lower half (30..59) to the top level.
    await albums.move(chain[30]!.id, null);
    expect((await albums.get(chain[30]!.id)).depth).toBe(0);
    expect((await albums.get(leaf.id)).depth).toBe(29);
    expect((await albums.ancestors(leaf.id)).map((a) => a.id)).toEqual(chain.slice(30, 59).map((a) => a.id));
    expect((await albums.get(chain[0]!.id))).toMatchObject({ totalPhotoCount: 0, descendantCount: 29 });
    expect((await albums.get(chain[30]!.id))).toMatchObject({ totalPhotoCount: 3, descendantCount: 29 });
  });

  it('descendants: whole entities as TypeORM loads them, shallowest first, then in sibling order', async () => {
    const root = await albums.create({ name: 'Branches', description: 'root' });
    const b = await albums.create({ name: 'B', parentId: root.id, status: 'private' });
    const a = await albums.create({ name: 'A', parentId: root.id, position: 0, visible: false });
    const b1 = await albums.create({ name: 'B1', parentId: b.id });
    const a1 = await albums.create({ name: 'A1', parentId: a.id, description: 'deeper' });
    const a11 = await albums.create({ name: 'A11', parentId: a1.id });
    const photos = await insertPhotoRows(db.dataSource, 2);
    await albums.linkPhotos(a11.id, photos);
    await albums.setRepresentative(a.id, photos[0]!);
    const found = await albums.descendants(root.id);
    // Depth, then position among siblings; cousins at the same position by id (b1 was created before a1).
    expect(found.map((x) => x.id)).toEqual([a.id, b.id, b1.id, a1.id, a11.id]);
    for (const node of found) {
      // A tree node is the stored album minus its description and timestamps, field for field.
      const { description: _d, createdAt: _c, updatedAt: _u, ...stored } = await db.dataSource.manager.findOneByOrFail(Album, { id: node.id });
      expect({ ...node }).toStrictEqual({ ...stored });
    }
    expect(found[0]).toMatchObject({ parentId: root.id, visible: false, representativePhotoId: photos[0], totalPhotoCount: 2, descendantCount: 2 });
    expect(await albums.descendants(a11.id)).toEqual([]);
  });

  it('reorders siblings and refuses anything but a permutation', async () => {
    const parent = await albums.create({ name: 'Reorder' });
    const kids = [];
    for (const n of ['a', 'b', 'c']) kids.push(await albums.create({ name: n, parentId: parent.id }));
    const order = [kids[2]!.id, kids[0]!.id, kids[1]!.id];
    expect((await albums.reorder(parent.id, order)).map((k) => k.id)).toEqual(order);
    expect((await errorOf(albums.reorder(parent.id, [kids[0]!.id]))).code).toBe('album.reorder_mismatch');
    expect((await errorOf(albums.reorder(parent.id, [...order, order[0]!]))).code).toBe('album.reorder_mismatch');
  });

  it('keeps representatives inside the subtree and clears them when the photo leaves', async () => {
    const parent = await albums.create({ name: 'Rep' });
    const child = await albums.create({ name: 'Rep child', parentId: parent.id });
    const [p1, p2] = await insertPhotoRows(db.dataSource, 2);
    await albums.linkPhotos(child.id, [p1!]);
    expect((await albums.setRepresentative(parent.id, p1!)).representativePhotoId).toBe(p1);
    expect((await errorOf(albums.setRepresentative(parent.id, p2!))).code).toBe('album.representative_not_in_album');
    await albums.unlinkPhotos(child.id, [p1!]);
    expect((await albums.get(parent.id)).representativePhotoId).toBeNull();
  });

  it('deletes a subtree, deleting or keeping photos that would become orphans', async () => {
    const keepTop = await albums.create({ name: 'Keep elsewhere' });
    const doomed = await albums.create({ name: 'Doomed' });
    const sub = await albums.create({ name: 'Doomed child', parentId: doomed.id });
    const [only, shared] = await insertPhotoRows(db.dataSource, 2);
    await albums.linkPhotos(sub.id, [only!, shared!]);
    await albums.linkPhotos(keepTop.id, [shared!]);
    const result = await albums.delete(doomed.id, 'delete');
    expect(result.deletedAlbumIds.sort()).toEqual([doomed.id, sub.id].sort());
    expect(result.deletedPhotoIds).toEqual([only]);
    const remaining = await db.dataSource.query(`SELECT id FROM photos WHERE id = ANY($1::int[])`, [[only, shared]]);
    expect(remaining.map((r: { id: number }) => r.id)).toEqual([shared]);
    expect((await errorOf(albums.get(sub.id))).kind).toBe('not_found');

    const again = await albums.create({ name: 'Kept' });
    const [lonely] = await insertPhotoRows(db.dataSource, 1);
    await albums.linkPhotos(again.id, [lonely!]);
    const kept = await albums.delete(again.id, 'keep');
    expect(kept.orphanedPhotoIds).toEqual([lonely]);
    expect(await db.dataSource.query(`SELECT id FROM photos WHERE id = $1`, [lonely])).toHaveLength(1);
  });

  it('refuses to link unknown photos and leaves nothing half-written', async () => {
    const album = await albums.create({ name: 'Atomic' });
    const [p] = await insertPhotoRows(db.dataSource, 1);
    const err = await errorOf(albums.linkPhotos(album.id, [p!, 987_654]));
    expect(err.kind).toBe('not_found');
    expect(await albums.photoIds(album.id)).toEqual([]);
    expect((await albums.get(album.id)).photoCount).toBe(0);
  });
});
