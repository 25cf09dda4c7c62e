import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import type { DataSource } from 'typeorm';
import { AlbumRepository } from '../src/albums/album.repository.js';
import { AlbumService } from '../src/albums/album.service.js';
import { fmt, measure, openBenchDatabase } from './bench-database.js';
import { buildTree } from './tree-fixture.js';

/**
 * `npm run bench:tree`: 10 000 albums in 13 levels (depth 0–12, ten top albums of 1 000 albums
 * each) and 1 000 000 album–photo links (500 000 photos, two albums each, 100 links per album).
 * Times the closure-table reads, a move of a 1 000-album subtree, count refreshes, and prints
 * EXPLAIN (ANALYZE, BUFFERS) of the two reads. Target (Postgres): each read < 5 ms.
 */

/** Captures the SQL and parameters of the next query TypeORM sends. */
function captureNextQuery(ds: DataSource): Promise<{ sql: string; params: unknown[] }> {
  const logger = ds.logger;
  const original = logger.logQuery.bind(logger);
  return new Promise((resolve) => {
    logger.logQuery = (sql, params, runner) => {
      logger.logQuery = original;
      resolve({ sql, params: Array.isArray(params) ? params : [] });
      return original(sql, params, runner);
    };
  });
}

/** EXPLAIN (ANALYZE, BUFFERS) of the query a repository call sends; returns the plan lines. */
async function explain(ds: DataSource, call: () => Promise<unknown>): Promise<string[]> {
  const captured = captureNextQuery(ds);
  await call();
  const { sql, params } = await captured;
  const rows: Record<string, string>[] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
  return rows.map((r) => Object.values(r)[0]!);
}

async function main() {
  const db = await openBenchDatabase('tree');
  const { ds } = db;
  try {
    const t0 = Date.now();
    await buildTree(ds);
    const repo = new AlbumRepository(ds.manager);
    const tRefresh = Date.now();
    await repo.refreshAllCounts();
    const firstRefresh = Date.now() - tRefresh;
    // Postgres's autovacuum would soon do this after the bulk load and the full refresh (which rewrites
    // every album row); PGlite has no autovacuum at all. Without it the count refreshes are 3-6x slower.
    await ds.query(`VACUUM ANALYZE`);
    const setup = Date.now() - t0;
    const [stats] = await ds.query(
      `SELECT (SELECT count(*)::int FROM albums) AS albums, (SELECT max(depth) FROM albums) AS max_depth,
              (SELECT count(*)::int FROM album_closure) AS closure, (SELECT count(*)::int FROM album_photos) AS links`,
    );

    const tops: number[] = (await ds.query(`SELECT id FROM albums WHERE depth = 0 ORDER BY id`)).map((r: { id: number }) => r.id);
    const deep: number[] = (await ds.query(`SELECT id FROM albums WHERE depth = 12 ORDER BY id LIMIT 50`)).map((r: { id: number }) => r.id);
    const moved = tops[0]!;
    const [{ id: destination }] = await ds.query(`SELECT id FROM albums WHERE depth = 2 AND id IN (SELECT descendant_id FROM album_closure WHERE ancestor_id = $1) ORDER BY id LIMIT 1`, [tops[1]]);
    const [{ n: movedSize }] = await ds.query(`SELECT count(*)::int AS n FROM album_closure WHERE ancestor_id = $1`, [moved]);

    const albums = new AlbumService(ds);
    const results: [string, { p50: number; p95: number; max: number }, number][] = [];
    const run = async (label: string, n: number, fn: (i: number) => Promise<unknown>) => {
      await fn(0); // warm-up
      results.push([label, await measure(n, fn), n]);
    };
    await run('descendants(top album), ~1 000 rows', 200, (i) => repo.descendants(tops[i % tops.length]!));
    await run('subtreeIds(top album)', 200, (i) => repo.subtreeIds(tops[i % tops.length]!));
    await run('ancestors(depth-12 album), 12 rows', 500, (i) => repo.ancestors(deep[i % deep.length]!));
    const descPlan = await explain(ds, () => repo.descendants(tops[3]!));
    const ancPlan = await explain(ds, () => repo.ancestors(deep[7]!));
    let away = false;
    await run(`move ${movedSize}-album subtree (there and back)`, 20, async () => {
      away = !away;
      return away ? albums.move(moved, destination) : albums.move(moved, null, 0);
    });
    if (away) await albums.move(moved, null, 0);
    await run('refreshCounts(self+ancestors of depth-12)', 50, async (i) =>
      repo.refreshCounts(await repo.selfAndAncestorIds(deep[i % deep.length]!)),
    );
    await run('refreshAllCounts()', db.kind === 'PostgreSQL' ? 5 : 3, () => repo.refreshAllCounts());

    const out = process.stdout;
    out.write(`\nbench:tree on ${db.kind} (Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
    out.write(`  ${stats.albums} albums (max depth ${stats.max_depth}), ${stats.closure} closure rows, ${stats.links} album–photo links\n`);
    out.write(`  setup ${(setup / 1000).toFixed(1)} s (of which the first refreshAllCounts ${(firstRefresh / 1000).toFixed(1)} s; then VACUUM ANALYZE)\n\n`);
    const width = Math.max(...results.map(([l]) => l.length));
    out.write(`  ${'operation'.padEnd(width)}  ${'n'.padStart(4)}  ${'p50'.padStart(11)}  ${'p95'.padStart(11)}\n`);
    for (const [label, m, n] of results) out.write(`  ${label.padEnd(width)}  ${String(n).padStart(4)}  ${fmt(m.p50).padStart(11)}  ${fmt(m.p95).padStart(11)}\n`);
    out.write(`\n  target: each read < 5 ms on Postgres\n`);
    const slow = results.slice(0, 3).filter(([, m]) => m.p50 >= 5);
    if (db.kind === 'PostgreSQL') out.write(slow.length ? `  over target (p50): ${slow.map(([l]) => l).join('; ')}\n` : '  every read is within target (p50)\n');
    // Plan nodes (the scans show which index is used), index conditions, buffers of the whole query, times.
    const indexLines = (plan: string[]) => {
      const totalBuffers = plan.findIndex((l) => /Buffers:/.test(l));
      return plan.filter((l, i) => i === 0 || i === totalBuffers || /->|Index Cond|Execution Time|Planning Time/.test(l));
    };
    out.write(`\nEXPLAIN (ANALYZE, BUFFERS) descendants(${tops[3]}):\n${indexLines(descPlan).map((l) => `  ${l}`).join('\n')}\n`);
    out.write(`\nEXPLAIN (ANALYZE, BUFFERS) ancestors(${deep[7]}):\n${indexLines(ancPlan).map((l) => `  ${l}`).join('\n')}\n`);
    if (process.env.BENCH_FULL_PLANS) out.write(`\n${descPlan.join('\n')}\n\n${ancPlan.join('\n')}\n`);
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
