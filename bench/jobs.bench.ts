/**
 * The two job queues on one PostgreSQL database, in one run (DATABASE_URL required):
 *
 *   DATABASE_URL=postgres://… npm run bench:jobs
 *
 * 1. enqueue cost inside a caller transaction with a singleton key (what ingest does per photo):
 *    p50/p95 per enqueue, table queue vs pg-boss, and the ratio;
 * 2. latency from a committed enqueue to the handler running, with the worker polling (idle
 *    poll 1 s, wake on local enqueue): p50/p95, table vs pg-boss;
 * 3. the same with the job enqueued by another process-like queue instance (no local wake: the
 *    poll interval decides).
 *
 * Env: BENCH_JOBS (jobs per phase, default 100). Prints figures; asserts nothing.
 */
import { loadavg } from 'node:os';
import { createLogger } from '../src/common/logger.js';
import { createJobQueue } from '../src/jobs/job-queue.factory.js';
import type { JobRunner } from '../src/jobs/job-queue.js';
import { fmt, measure, openBenchDatabase } from './bench-database.js';

const N = Number(process.env.BENCH_JOBS ?? 100);

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('bench:jobs compares the queues on PostgreSQL: set DATABASE_URL.');
  const db = await openBenchDatabase('jobs');
  const logger = createLogger('silent');
  console.log(`${db.kind}, ${N} jobs per phase, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const results: Record<string, Record<string, { p50: number; p95: number }>> = {};
  try {
    for (const kind of ['table', 'pgboss'] as const) {
      const queue = createJobQueue(db.ds, logger, { choice: kind });
      const sender = createJobQueue(db.ds, logger, { choice: kind });
      results[kind] = {};
      try {
        await queue.list({ limit: 1 }); // pg-boss: schema and start outside the figures
        results[kind].enqueue = await measure(N, (i) => db.ds.transaction((em) => queue.enqueue('bench.enqueue', { i }, { em, singletonKey: `photo:${i}` })));

        let ran: (() => void) | undefined;
        queue.work('bench.latency', async () => ran?.());
        await queue.start();
        const runOnce = (via: JobRunner) => (i: number) =>
          new Promise<void>((resolve, reject) => {
            ran = resolve;
            db.ds.transaction((em) => via.enqueue('bench.latency', { i }, { em })).catch(reject);
          });
        results[kind].local = await measure(N, runOnce(queue));
        results[kind].remote = await measure(Math.max(5, Math.round(N / 10)), runOnce(sender));
      } finally {
        await queue.close();
        await sender.close();
      }
    }
  } finally {
    await db.close();
  }
  for (const phase of ['enqueue', 'local', 'remote']) {
    const t = results.table![phase]!;
    const b = results.pgboss![phase]!;
    console.log(
      `${phase.padEnd(8)} table p50 ${fmt(t.p50)} p95 ${fmt(t.p95)} | pg-boss p50 ${fmt(b.p50)} p95 ${fmt(b.p95)} | pg-boss/table p50 ×${(b.p50 / t.p50).toFixed(2)}`,
    );
  }
  console.log(`load after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

await main();
