import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUEST, type Principal } from '../../src/access/principal.js';
import { VisibilityService } from '../../src/access/visibility.service.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { visibleSets } from '../support/visible-sets.js';

interface World {
  albums: { parent: number | null; private: boolean; visible: boolean }[];
  groups: number;
  users: { level: 0 | 1 | 2 | 4 | 8; groups: number[] }[];
  userGrants: [album: number, user: number][];
  groupGrants: [album: number, group: number][];
  photos: { level: 0 | 1 | 2 | 4 | 8; albums: number[]; lounge: boolean }[];
}

const level = fc.constantFrom(0, 1, 2, 4, 8) as fc.Arbitrary<0 | 1 | 2 | 4 | 8>;
const worldArb: fc.Arbitrary<World> = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.record({
    albums: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({ parent: i === 0 ? fc.constant(null) : fc.option(fc.nat(i - 1), { nil: null }), private: fc.boolean(), visible: fc.boolean() }),
      ),
    ),
    groups: fc.integer({ min: 0, max: 3 }),
    users: fc.array(fc.record({ level, groups: fc.uniqueArray(fc.nat(2), { maxLength: 2 }) }), { minLength: 1, maxLength: 4 }),
    userGrants: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(3)), { maxLength: 6 }),
    groupGrants: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(2)), { maxLength: 6 }),
    photos: fc.array(fc.record({ level, albums: fc.uniqueArray(fc.nat(n - 1), { maxLength: 3 }), lounge: fc.boolean() }), { maxLength: 12 }),
  }),
);

/** The slow, obviously correct reference: walk the path of every album. */
function reference(world: World, user: number | null) {
  const groups = user === null ? [] : world.users[user]!.groups.filter((g) => g < world.groups);
  const granted = (a: number) =>
    user !== null &&
    (world.userGrants.some(([ga, gu]) => ga === a && gu === user) || world.groupGrants.some(([ga, gg]) => ga === a && groups.includes(gg)));
  const ok = (a: number): boolean => {
    const al = world.albums[a]!;
    if (!al.visible) return false;
    if (al.private && !granted(a)) return false;
    return al.parent === null || ok(al.parent);
  };
  const albums = world.albums.map((_, i) => i).filter(ok);
  const maxLevel = user === null ? 0 : world.users[user]!.level;
  const photos = world.photos.map((_, i) => i).filter((i) => {
    const p = world.photos[i]!;
    return !p.lounge && p.level <= maxLevel && p.albums.some((a) => albums.includes(a));
  });
  return { albums, photos };
}

describe('visibility filter matches a reference on random worlds (property-based)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.close());

  it('for anonymous visitors and every user', async () => {
    const ds = () => db.dataSource;
    const visibility = () => new VisibilityService(db.dataSource);
    const shared = visibility();
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        await ds().query(`TRUNCATE albums, album_closure, album_photos, photos, users, groups, group_members, album_user_grants, album_group_grants CASCADE`);
        const albums = new AlbumService(ds());
        const albumIds: number[] = [];
        for (const a of world.albums) {
          const parent = a.parent === null || a.parent >= albumIds.length ? null : albumIds[a.parent]!;
          albumIds.push((await albums.create({ name: 'a', parentId: parent, status: a.private ? 'private' : 'public', visible: a.visible })).id);
        }
        const groupIds: number[] = [];
        for (let g = 0; g < world.groups; g++) groupIds.push((await ds().query(`INSERT INTO groups (name) VALUES ($1) RETURNING id`, [`g${g}${Math.random()}`]))[0].id);
        const userIds: number[] = [];
        for (const [i, u] of world.users.entries()) {
          const id = (await ds().query(`INSERT INTO users (username, privacy_level) VALUES ($1, $2) RETURNING id`, [`u${i}${Math.random()}`, u.level]))[0].id;
          userIds.push(id);
          for (const g of u.groups) if (g < world.groups) await ds().query(`INSERT INTO group_members (group_id, user_id) VALUES ($1, $2)`, [groupIds[g], id]);
        }
        for (const [a, u] of world.userGrants) {
          if (u < userIds.length) await ds().query(`INSERT INTO album_user_grants (album_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [albumIds[a], userIds[u]]);
        }
        for (const [a, g] of world.groupGrants) {
          if (g < groupIds.length) await ds().query(`INSERT INTO album_group_grants (album_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [albumIds[a], groupIds[g]]);
        }
        const photoIds: number[] = [];
        for (const p of world.photos) {
          const id = (await ds().query(`INSERT INTO photos (privacy_level, status) VALUES ($1, $2) RETURNING id`, [p.level, p.lounge ? 'lounge' : 'ready']))[0].id;
          photoIds.push(id);
          for (const a of p.albums) await ds().query(`INSERT INTO album_photos (album_id, photo_id) VALUES ($1, $2)`, [albumIds[a], id]);
        }
        await ds().query(`UPDATE access_epoch SET epoch = epoch + 1`);

        const principals: [Principal, number | null][] = [[GUEST, null]];
        world.users.forEach((u, i) => principals.push([{ kind: 'user', userId: userIds[i]!, username: 'x', role: 'member', privacyLevel: u.level }, i]));
        for (const [principal, index] of principals) {
          const expected = reference(world, index);
          const got = await visibleSets(ds(), shared, principal);
          expect(got).toEqual({ albums: expected.albums.map((i) => albumIds[i]!), photos: expected.photos.map((i) => photoIds[i]!) });
        }
      }),
      { numRuns: 40 },
    );
  });
});
