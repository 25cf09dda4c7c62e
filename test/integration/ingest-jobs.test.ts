import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/common/logger.js';
import { DbJobQueue } from '../../src/jobs/db-job.queue.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('DbJobQueue', () => {
  let db: TestDatabase;
  let queue: DbJobQueue;
  const logger = createLogger('silent');

  beforeAll(async () => {
    db = await createTestDatabase();
    queue = new DbJobQueue(db.dataSource, logger, { backoffBaseMs: 0 });
  });
  afterAll(async () => {
    await queue.stop();
    await db.close();
  });

  it('enqueues inside the caller transaction: a rollback leaves no job', async () => {
    await expect(
      db.dataSource.transaction(async (em) => {
        await queue.enqueue('t.rollback', { a: 1 }, { em });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await queue.list({ name: 't.rollback' })).toEqual([]);
    await db.dataSource.transaction((em) => queue.enqueue('t.rollback', { a: 2 }, { em }));
    expect((await queue.list({ name: 't.rollback' })).map((j) => j.payload)).toEqual([{ a: 2 }]);
  });

  it('keeps one queued/active job per singleton key', async () => {
    expect(await queue.enqueue('t.single', {}, { singletonKey: 'k' })).toEqual(expect.any(Number));
    expect(await queue.enqueue('t.single', {}, { singletonKey: 'k' })).toBeNull();
    expect(await queue.enqueue('t.single', {}, { singletonKey: 'other' })).toEqual(expect.any(Number));
  });

  it('retries with backoff, ends in failed, and retry() re-queues', async () => {
    let calls = 0;
    queue.work('t.flaky', async () => {
      calls++;
      throw new Error(`nope ${calls}`);
    });
    const id = (await queue.enqueue('t.flaky', {}, { maxAttempts: 3 }))!;
    await queue.drain();
    expect(calls).toBe(3);
    const [failed] = await queue.list({ name: 't.flaky', state: 'failed' });
    expect(failed).toMatchObject({ id, attempts: 3, lastError: 'Error: nope 3' });
    expect(await queue.retry(id)).toBe(true);
    expect(await queue.retry(id)).toBe(false);
    expect((await queue.list({ name: 't.flaky', state: 'queued' })).map((j) => j.id)).toEqual([id]);
  });

  it('a restart re-queues jobs left active by a dead worker and runs them', async () => {
    const id = (await queue.enqueue('t.resume', { n: 1 }))!;
    await db.dataSource.query(`UPDATE jobs SET state = 'active', attempts = 1, locked_at = now() WHERE id = $1`, [id]);
    const restarted = new DbJobQueue(db.dataSource, logger, { recoverAllAtStart: true, pollIntervalMs: 20 });
    const seen: unknown[] = [];
    restarted.work('t.resume', async (job) => {
      seen.push(job.payload);
    });
    await restarted.start();
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await restarted.stop();
    expect(seen).toEqual([{ n: 1 }]);
    const [done] = await restarted.list({ name: 't.resume' });
    expect(done).toMatchObject({ state: 'completed', attempts: 2 });
  });

  it('claims each job once even with several workers polling', async () => {
    const ran: number[] = [];
    const workers = [0, 1, 2].map(() => new DbJobQueue(db.dataSource, logger, { pollIntervalMs: 5 }));
    for (const w of workers) w.work('t.many', async (job) => void ran.push(Number(job.payload.i)));
    for (let i = 0; i < 20; i++) await queue.enqueue('t.many', { i });
    await Promise.all(workers.map((w) => w.drain()));
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
