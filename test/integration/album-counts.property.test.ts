import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbumService } from '../../src/albums/album.service.js';
import { VitrineError } from '../../src/common/errors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPhotoRows } from '../support/photo-rows.js';

/** An obviously correct in-memory model of a tree with photo links. */
class TreeModel {
  parent = new Map<number, number | null>();
  links = new Map<number, Set<number>>();

  children(id: number) {
    return [...this.parent].filter(([, p]) => p === id).map(([c]) => c);
  }
  subtree(id: number): number[] {
    return [id, ...this.children(id).flatMap((c) => this.subtree(c))];
  }
  ancestors(id: number): number[] {
    const out: number[] = [];
    for (let p = this.parent.get(id) ?? null; p !== null && this.parent.has(p); p = this.parent.get(p) ?? null) out.unshift(p);
    return out;
  }
  counts(id: number) {
    const sub = this.subtree(id);
    const total = new Set(sub.flatMap((a) => [...(this.links.get(a) ?? [])]));
    return {
      photoCount: this.links.get(id)?.size ?? 0,
      childCount: this.children(id).length,
      descendantCount: sub.length - 1,
      totalPhotoCount: total.size,
    };
  }
}

type Op =
  | { t: 'create'; parent: number }
  | { t: 'move'; a: number; to: number }
  | { t: 'link'; a: number; photos: number[] }
  | { t: 'unlink'; a: number; photos: number[] }
  | { t: 'delete'; a: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('create' as const), parent: fc.nat(40) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('move' as const), a: fc.nat(40), to: fc.nat(40) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('link' as const), a: fc.nat(40), photos: fc.uniqueArray(fc.nat(7), { maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('unlink' as const), a: fc.nat(40), photos: fc.uniqueArray(fc.nat(7), { maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('delete' as const), a: fc.nat(40) }) },
);

describe('album counts stay exact (property-based)', () => {
  let db: TestDatabase;
  let albums: AlbumService;
  let photoPool: number[];
  beforeAll(async () => {
    db = await createTestDatabase();
    albums = new AlbumService(db.dataSource);
    photoPool = await insertPhotoRows(db.dataSource, 8);
  });
  afterAll(() => db?.close());

  it('matches the in-memory model after random operation sequences', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 25 }), async (ops) => {
        const model = new TreeModel();
        const root = await albums.create({ name: `Run ${run++}` });
        model.parent.set(root.id, null);
        const pick = (n: number) => {
          const ids = [...model.parent.keys()];
          return ids[n % ids.length]!;
        };
        for (const op of ops) {
          if (op.t === 'create') {
            const parent = pick(op.parent);
            const a = await albums.create({ name: 'n', parentId: parent });
            model.parent.set(a.id, parent);
          } else if (op.t === 'move') {
            const a = pick(op.a);
            const to = pick(op.to);
            if (a === root.id) continue;
            const cycle = model.subtree(a).includes(to);
            try {
              await albums.move(a, to);
              expect(cycle).toBe(false);
              model.parent.set(a, to);
            } catch (e) {
              expect(e).toBeInstanceOf(VitrineError);
              // Either a cycle, or a sibling slug clash in the destination.
              expect(['album.move_cycle', 'album.slug_taken']).toContain((e as VitrineError).code);
              if ((e as VitrineError).code === 'album.move_cycle') expect(cycle).toBe(true);
            }
          } else if (op.t === 'link' || op.t === 'unlink') {
            const a = pick(op.a);
            const photos = op.photos.map((i) => photoPool[i]!);
            const set = model.links.get(a) ?? new Set<number>();
            if (op.t === 'link') {
              await albums.linkPhotos(a, photos);
              photos.forEach((p) => set.add(p));
            } else {
              await albums.unlinkPhotos(a, photos);
              photos.forEach((p) => set.delete(p));
            }
            model.links.set(a, set);
          } else {
            const a = pick(op.a);
            if (a === root.id) continue;
            await albums.delete(a, 'keep');
            for (const id of model.subtree(a)) {
              model.parent.delete(id);
              model.links.delete(id);
            }
          }
        }
        for (const id of model.parent.keys()) {
          const album = await albums.get(id);
          expect({ id, ...pickCounts(album) }).toEqual({ id, ...model.counts(id) });
          expect((await albums.ancestors(id)).map((x) => x.id)).toEqual(model.ancestors(id));
          expect(album.depth).toBe(model.ancestors(id).length);
          const positions = (await albums.children(id)).map((c) => c.position);
          expect(positions).toEqual(positions.map((_, i) => i));
        }
      }),
      { numRuns: 25 },
    );
  });
});

function pickCounts(a: { photoCount: number; childCount: number; descendantCount: number; totalPhotoCount: number }) {
  return { photoCount: a.photoCount, childCount: a.childCount, descendantCount: a.descendantCount, totalPhotoCount: a.totalPhotoCount };
}
