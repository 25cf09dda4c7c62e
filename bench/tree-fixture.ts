import type { DataSource } from 'typeorm';

/** Albums per level, depth 0..12; all multiples of 10 so that every top album gets 1/10 of each level. */
export const LEVELS = [10, 20, 40, 80, 160, 320, 600, 900, 1200, 1500, 1700, 1800, 1670];
export const PHOTOS = 500_000;
const LINKS_PER_PHOTO = 2;

/**
 * Fills an empty, migrated database with the benchmark tree: 10 000 albums in 13 levels (ten top
 * albums of 1 000 albums each, closure rows, dense positions), 500 000 photos and 1 000 000 links,
 * all with set-based SQL. Counts are left at zero (call refreshAllCounts).
 */
export async function buildTree(ds: DataSource): Promise<void> {
  let offset = 0;
  for (let depth = 0; depth < LEVELS.length; depth++) {
    const n = LEVELS[depth]!;
    const parentOffset = depth === 0 ? 0 : offset - LEVELS[depth - 1]!;
    const parentCount = depth === 0 ? 1 : LEVELS[depth - 1]!;
    // Album g of this level gets id offset+g+1; its parent is album g % parentCount of the level
    // above, and it is child number g / parentCount of that parent (dense positions).
    await ds.query(
      `INSERT INTO albums (id, parent_id, name, slug, status, depth, position)
       SELECT $1::int + g + 1, CASE WHEN $2::int = 0 THEN NULL ELSE $3::int + g % $4::int + 1 END,
              'Album ' || $2 || '-' || g, 'a' || $2 || '-' || g, CASE WHEN g % 10 < 3 THEN 'private' ELSE 'public' END,
              $2, g / $4::int
       FROM generate_series(0, $5::int - 1) g`,
      [offset, depth, parentOffset, parentCount, n],
    );
    await ds.query(
      `INSERT INTO album_closure (ancestor_id, descendant_id, depth)
       SELECT a.id, a.id, 0 FROM albums a WHERE a.depth = $1
       UNION ALL SELECT c.ancestor_id, a.id, c.depth + 1 FROM albums a JOIN album_closure c ON c.descendant_id = a.parent_id WHERE a.depth = $1`,
      [depth],
    );
    offset += n;
  }
  await ds.query(`SELECT setval(pg_get_serial_sequence('albums', 'id'), (SELECT max(id) FROM albums))`);
  await ds.query(
    `INSERT INTO photos (id, original_name, privacy_level) SELECT g, 'p' || g || '.jpg', (ARRAY[0,0,0,1,2,4,8])[1 + g % 7] FROM generate_series(1, $1::int) g`,
    [PHOTOS],
  );
  await ds.query(`SELECT setval(pg_get_serial_sequence('photos', 'id'), $1::int)`, [PHOTOS]);
  // Photo p goes to albums 1 + ((2p + k) * 7919) mod 10 000: a bijection, so 100 links per album, no duplicates.
  await ds.query(
    `INSERT INTO album_photos (album_id, photo_id, rank)
     SELECT (1 + ((p::bigint * $2::int + k) * 7919) % $3::int)::int, p, p FROM generate_series(1, $1::int) p CROSS JOIN generate_series(0, $2::int - 1) k`,
    [PHOTOS, LINKS_PER_PHOTO, offset],
  );
  await ds.query(`ANALYZE`);
}
