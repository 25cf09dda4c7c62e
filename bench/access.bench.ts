import 'reflect-metadata';
import type { Principal } from '../src/access/principal.js';
import { VisibilityService } from '../src/access/visibility.service.js';
import { ParamBag } from '../src/database/param-bag.js';
import { fmt, measure, openBenchDatabase } from './bench-database.js';

/**
 * `npm run bench:access`: 10 000 albums (depth 10), 100 000 photos, 1 000 users, 100 groups;
 * times one album page (visibility scope, album check, visible sub-albums, 30 visible photos and
 * their count) for a member with 50 grants, with a cold and a warm visible-album cache.
 * Target (Postgres): warm < 5 ms, cold < 50 ms.
 */
async function main() {
  const db = await openBenchDatabase('access');
  const { ds } = db;
  const t0 = Date.now();
  await ds.query(`SET LOCAL synchronous_commit = off`).catch(() => undefined);
  // 10 levels of 1 000 albums; each album's parent is a random album of the level above.
  for (let level = 0; level < 10; level++) {
    await ds.query(
      `INSERT INTO albums (parent_id, name, slug, status, depth, position)
       SELECT CASE WHEN $1 = 0 THEN NULL ELSE (SELECT id FROM albums WHERE depth = $1 - 1 ORDER BY id OFFSET (g * 7919) % 1000 LIMIT 1) END,
              'Album ' || $1 || '-' || g, 'a' || $1 || '-' || g, CASE WHEN g % 10 < 3 THEN 'private' ELSE 'public' END, $1, g
       FROM generate_series(0, 999) g`,
      [level],
    );
    await ds.query(
      `INSERT INTO album_closure (ancestor_id, descendant_id, depth)
       SELECT a.id, a.id, 0 FROM albums a WHERE a.depth = $1
       UNION ALL SELECT c.ancestor_id, a.id, c.depth + 1 FROM albums a JOIN album_closure c ON c.descendant_id = a.parent_id WHERE a.depth = $1`,
      [level],
    );
  }
  await ds.query(`INSERT INTO photos (original_name, privacy_level) SELECT 'p' || g || '.jpg', (ARRAY[0,0,0,1,2,4,8])[1 + g % 7] FROM generate_series(1, 100000) g`);
  await ds.query(`INSERT INTO album_photos (album_id, photo_id, rank)
                  SELECT (SELECT min(id) FROM albums) + (p.id * 31) % 10000, p.id, p.id FROM photos p
                  UNION SELECT (SELECT min(id) FROM albums) + (p.id * 17 + 5) % 10000, p.id, p.id FROM photos p WHERE p.id % 3 = 0
                  ON CONFLICT DO NOTHING`);
  await ds.query(`INSERT INTO users (username, privacy_level) SELECT 'user' || g, (ARRAY[0,1,2,4])[1 + g % 4] FROM generate_series(1, 1000) g`);
  await ds.query(`INSERT INTO groups (name) SELECT 'group' || g FROM generate_series(1, 100) g`);
  await ds.query(`INSERT INTO group_members (group_id, user_id) SELECT gr.id, u.id FROM users u JOIN groups gr ON gr.id % 100 IN (u.id % 100, (u.id * 7) % 100)`);
  await ds.query(`INSERT INTO album_user_grants (album_id, user_id) SELECT a.id, u.id FROM albums a JOIN users u ON (a.id + u.id) % 97 = 0 WHERE a.status = 'private' ON CONFLICT DO NOTHING`);
  await ds.query(`INSERT INTO album_group_grants (album_id, group_id) SELECT a.id, g.id FROM albums a JOIN groups g ON (a.id + g.id) % 211 = 0 WHERE a.status = 'private' ON CONFLICT DO NOTHING`);
  // The member under test: 30 direct grants plus a group with 20.
  const [member] = await ds.query(`SELECT id FROM users WHERE username = 'user500'`);
  await ds.query(`DELETE FROM album_user_grants WHERE user_id = $1`, [member.id]);
  await ds.query(`INSERT INTO album_user_grants (album_id, user_id) SELECT id, $1 FROM albums WHERE status = 'private' AND depth < 3 ORDER BY id LIMIT 30`, [member.id]);
  const [grp] = await ds.query(`INSERT INTO groups (name) VALUES ('bench clients') RETURNING id`);
  await ds.query(`INSERT INTO group_members (group_id, user_id) VALUES ($1, $2)`, [grp.id, member.id]);
  await ds.query(`INSERT INTO album_group_grants (album_id, group_id) SELECT id, $1 FROM albums WHERE status = 'private' AND depth BETWEEN 3 AND 5 ORDER BY id LIMIT 20`, [grp.id]);
  await ds.query(`ANALYZE`);
  const setup = Date.now() - t0;

  const principal: Principal = { kind: 'user', userId: member.id, username: 'user500', role: 'member', privacyLevel: 2 };
  const visibility = new VisibilityService(ds);
  const warmScope = await visibility.scopeFor(principal);
  const visibleTop: { id: number }[] = await ds.query(
    `SELECT a.id FROM albums a WHERE a.depth = 2 AND a.id = ANY($1::int[]) AND a.photo_count >= 0 ORDER BY a.id LIMIT 50`,
    [warmScope.albumIds],
  );
  const albumPage = async (albumId: number) => {
    const scope = await visibility.scopeFor(principal);
    if (!scope.canSeeAlbum(albumId)) throw new Error('album should be visible');
    const children = (
      await ds.query(`SELECT a.id, a.name, a.slug, a.total_photo_count FROM albums a WHERE a.parent_id = $1 ORDER BY a.position`, [albumId])
    ).filter((a: { id: number }) => scope.canSeeAlbum(a.id));
    const pp = new ParamBag();
    const album = pp.add(albumId);
    const where = scope.photoWhereInAlbum('p', albumId, pp);
    const photos = await ds.query(
      `SELECT p.id, p.title, p.width, p.height, p.blur_placeholder FROM album_photos ap JOIN photos p ON p.id = ap.photo_id
       WHERE ap.album_id = ${album} AND ${where} ORDER BY ap.rank LIMIT 30`,
      pp.values,
    );
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM album_photos ap JOIN photos p ON p.id = ap.photo_id WHERE ap.album_id = ${album} AND ${where}`, pp.values);
    return children.length + photos.length + n;
  };
  const ids = visibleTop.map((r) => r.id);
  const cold = await measure(30, async (i) => {
    visibility.clearCache();
    await albumPage(ids[i % ids.length]!);
  });
  const warm = await measure(300, (i) => albumPage(ids[i % ids.length]!));
  const scopeCold = await measure(30, async () => {
    visibility.clearCache();
    await visibility.scopeFor(principal);
  });

  console.log(`bench:access on ${db.kind}: 10 000 albums (depth 10), 100 000 photos, 1 000 users, 100 groups (setup ${setup} ms)`);
  console.log(`member with ${30 + 20} grants sees ${warmScope.albumIds!.length} albums`);
  console.log(`visible-album set, cold      p50 ${fmt(scopeCold.p50)}  p95 ${fmt(scopeCold.p95)}`);
  console.log(`album page, cold cache       p50 ${fmt(cold.p50)}  p95 ${fmt(cold.p95)}  max ${fmt(cold.max)}`);
  console.log(`album page, warm cache       p50 ${fmt(warm.p50)}  p95 ${fmt(warm.p95)}  max ${fmt(warm.max)}`);
  console.log('target (Postgres): warm < 5 ms, cold < 50 ms');
  await db.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
