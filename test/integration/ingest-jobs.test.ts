import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/common/logger.js';
import { createJobQueue, jobQueueKind, type JobQueueFactoryOptions } from '../../src/jobs/job-queue.factory.js';
import type { JobRunner } from '../../src/jobs/job-queue.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** Runs on the queue the database gets by default: pg-boss on Postgres, the table queue on PGlite. */
describe('job queue', () => {
  let db: TestDatabase;
  let queue: JobRunner;
  const logger = createLogger('silent');
  const others: JobRunner[] = [];
  const another = (options: JobQueueFactoryOptions) => {
    const q = createJobQueue(db.dataSource, logger, options);
    others.push(q);
    return q;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    queue = createJobQueue(db.dataSource, logger, { backoffBaseMs: 0 });
  });
  afterAll(async () => {
    for (const q of others) await q.close();
    await queue?.close();
    await db.close();
  });

  it('enqueues inside the caller transaction: a rollback leaves no job, a commit keeps it', async () => {
    await expect(
      db.dataSource.transaction(async (em) => {
        await queue.enqueue('t.rollback', { a: 1 }, { em });
        await queue.enqueue('t.rollback', { a: 3 }, { em, singletonKey: 'k' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await queue.list({ name: 't.rollback' })).toEqual([]);
    const id = await db.dataSource.transaction(async (em) => {
      const inside = await queue.enqueue('t.rollback', { a: 2 }, { em });
      // Not visible outside the transaction before it commits (PGlite has one session: no "outside").
      if (db.kind === 'postgres') expect(await queue.get(inside!)).toBeNull();
      return inside;
    });
    expect((await queue.list({ name: 't.rollback' })).map((j) => [j.id, j.payload])).toEqual([[id, { a: 2 }]]);
  });

  it('keeps one queued/active job per singleton key, also inside transactions', async () => {
    const first = await queue.enqueue('t.single', {}, { singletonKey: 'k' });
    expect(first).toEqual(expect.any(String));
    expect(await queue.enqueue('t.single', {}, { singletonKey: 'k' })).toBeNull();
    expect(await db.dataSource.transaction((em) => queue.enqueue('t.single', {}, { em, singletonKey: 'k' }))).toBeNull();
    expect(await queue.enqueue('t.single', {}, { singletonKey: 'other' })).toEqual(expect.any(String));
    // Concurrent enqueues of one new key: exactly one wins.
    const racing = await Promise.all([0, 1, 2, 3].map(() => queue.enqueue('t.single', {}, { singletonKey: 'race' })));
    expect(racing.filter((r) => r !== null)).toHaveLength(1);
    // Once it ran, the key is free again.
    queue.work('t.single', async () => undefined);
    await queue.drain();
    expect(await queue.enqueue('t.single', {}, { singletonKey: 'k' })).toEqual(expect.any(String));
  });

  it('retries, ends in failed with the last error, and retry() re-queues with a fresh budget', async () => {
    let calls = 0;
    queue.work('t.flaky', async () => {
      calls++;
      throw new Error(`nope ${calls}`);
    });
    const id = (await queue.enqueue('t.flaky', {}, { maxAttempts: 3 }))!;
    await queue.drain();
    expect(calls).toBe(3);
    const [failed] = await queue.list({ name: 't.flaky', state: 'failed' });
    expect(failed).toMatchObject({ id, attempts: 3, maxAttempts: 3, lastError: 'Error: nope 3' });
    expect(await queue.retry(id)).toBe(true);
    expect(await queue.retry(id)).toBe(false);
    expect(await queue.retry('12345')).toBe(false);
    expect(await queue.retry('00000000-0000-4000-8000-000000000000')).toBe(false);
    expect((await queue.list({ name: 't.flaky', state: 'queued' })).map((j) => [j.id, j.attempts])).toEqual([[id, 0]]);
    await queue.drain();
    expect(calls).toBe(6);
  });

  it('refuses to retry a failed singleton while the same work is queued', async () => {
    queue.work('t.once', async () => {
      throw new Error('no');
    });
    const id = (await queue.enqueue('t.once', {}, { singletonKey: 'p1', maxAttempts: 1 }))!;
    await queue.drain();
    expect((await queue.get(id))!.state).toBe('failed');
    const next = await queue.enqueue('t.once', {}, { singletonKey: 'p1', runAfter: new Date(Date.now() + 60_000) });
    expect(next).toEqual(expect.any(String));
    expect(await queue.retry(id)).toBe(false);
    expect(await queue.retryFailed('t.once')).toEqual([]);
  });

  it('a restart resumes jobs left active by a dead worker and runs them', async () => {
    // pg-boss fixes a job's expiry when it is sent; the table queue uses the recovering worker's.
    const dead = another({ staleAfterMs: 1000, backoffBaseMs: 0 });
    const id = (await dead.enqueue('t.resume', { n: 1 }))!;
    // A worker claims the job and hangs (as if killed mid-run): the job stays active.
    let release: (e: Error) => void = () => undefined;
    dead.work('t.resume', () => new Promise<void>((_, reject) => (release = reject)));
    const hung = dead.runOnce();
    try {
      for (let i = 0; i < 100 && (await queue.get(id))!.state !== 'active'; i++) await new Promise((r) => setTimeout(r, 20));
      expect((await queue.get(id))!).toMatchObject({ state: 'active', attempts: 1 });

      await new Promise((r) => setTimeout(r, 1200)); // older than staleAfterMs
      const restarted = another({ staleAfterMs: 1000, backoffBaseMs: 0, pollIntervalMs: 20 });
      const seen: unknown[] = [];
      restarted.work('t.resume', async (job) => {
        seen.push(job.payload);
      });
      await restarted.start();
      for (let i = 0; i < 150 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await restarted.stop();
      expect(seen).toEqual([{ n: 1 }]);
      expect((await restarted.get(id))!).toMatchObject({ state: 'completed', attempts: 2, lastError: null });
    } finally {
      // The "dead" worker finally gives up: its late failure does not undo the completed run.
      release(new Error('too late'));
      await hung;
    }
    expect((await queue.get(id))!.state).toBe('completed');
  });

  it('runs a job enqueued in a transaction right after the commit, not at the next idle poll', async () => {
    const worker = another({ pollIntervalMs: 60_000 });
    const ran: number[] = [];
    worker.work('t.commit', async () => void ran.push(Date.now()));
    await worker.start();
    await new Promise((r) => setTimeout(r, 100)); // the first, empty poll is done: the next idle one is 60 s away
    await db.dataSource.transaction(async (em) => {
      await worker.enqueue('t.commit', {}, { em });
      await new Promise((r) => setTimeout(r, 300)); // the early wake (50 ms) cannot see it yet
      expect(ran).toEqual([]);
    });
    const committed = Date.now();
    for (let i = 0; i < 100 && ran.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    expect(ran).toHaveLength(1);
    expect(ran[0]! - committed).toBeLessThan(1500);
  });

  it('claims each job once even with several workers polling', async () => {
    const ran: number[] = [];
    const workers = [0, 1, 2].map(() => another({ pollIntervalMs: 5 }));
    for (const w of workers) w.work('t.many', async (job) => void ran.push(Number(job.payload.i)));
    for (let i = 0; i < 20; i++) await queue.enqueue('t.many', { i });
    await Promise.all(workers.map((w) => w.drain()));
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('on Postgres, pg-boss takes over the open jobs an earlier table queue left (none lost); on PGlite, pg-boss is refused', async () => {
    if (db.kind === 'pglite') {
      expect(() => jobQueueKind('pgboss', db.dataSource)).toThrow(/JOB_QUEUE=pgboss needs a PostgreSQL server/);
      return;
    }
    const table = another({ choice: 'table' });
    const later = new Date(Date.now() + 3_600_000);
    await table.enqueue('t.adopt', { n: 1 });
    await table.enqueue('t.adopt', { n: 2 }, { singletonKey: 'photo:2', runAfter: later, maxAttempts: 2 });
    const boss = another({});
    const adopted = await boss.list({ name: 't.adopt' });
    expect(adopted.map((j) => j.payload).sort((a, b) => Number(a.n) - Number(b.n))).toEqual([{ n: 1 }, { n: 2 }]);
    expect(adopted.find((j) => j.payload.n === 2)).toMatchObject({ state: 'queued', singletonKey: 'photo:2', maxAttempts: 2, runAfter: later });
    expect(await table.countOpen('t.adopt')).toEqual({ due: 0, waiting: 0, active: 0 });
    expect(await boss.enqueue('t.adopt', {}, { singletonKey: 'photo:2' })).toBeNull(); // still one per key
  });

  it('counts jobs per state and lists them newest first', async () => {
    const counts = await queue.countByState();
    expect(Object.keys(counts).sort()).toEqual(['active', 'completed', 'failed', 'queued']);
    const all = await queue.list({ limit: 1000 });
    for (const state of ['queued', 'active', 'completed', 'failed'] as const) expect(counts[state]).toBe(all.filter((j) => j.state === state).length);
    const created = all.map((j) => j.createdAt.getTime());
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(await queue.list({ limit: 2 })).toHaveLength(2);
  });
});
