import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/common/logger.js';
import { createJobQueue } from '../../src/jobs/job-queue.factory.js';
import type { JobRunner } from '../../src/jobs/job-queue.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** Runs on the queue the database gets by default: pg-boss on Postgres, the table queue on PGlite. */
describe('job queue failure handling (vitrine jobs)', () => {
  let db: TestDatabase;
  let queue: JobRunner;
  beforeAll(async () => {
    db = await createTestDatabase();
    queue = createJobQueue(db.dataSource, createLogger('silent'), { backoffBaseMs: 60_000 });
  });
  afterAll(async () => {
    await queue?.close();
    await db.close();
  });

  it('waits base·2^(attempt−1) (pg-boss: up to twice that, jitter) before each retry, then ends failed with the last error; retryFailed re-queues all', async () => {
    expect(queue.kind).toBe(db.kind === 'postgres' ? 'pgboss' : 'table');
    let calls = 0;
    queue.work('t.backoff', async () => {
      calls++;
      throw new Error(`broken ${calls}`);
    });
    const id = (await queue.enqueue('t.backoff', {}, { maxAttempts: 3 }))!;
    expect(id).toEqual(expect.any(String));
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await queue.runOnce()).toBe(true);
      expect(await queue.runOnce()).toBe(false); // not due yet: the backoff holds it
      const job = (await queue.get(id))!;
      expect(job.attempts).toBe(attempt);
      expect(job.maxAttempts).toBe(3);
      expect(job.lastError).toBe(`Error: broken ${attempt}`);
      if (attempt < 3) {
        expect(job.state).toBe('queued');
        expect(await queue.countOpen('t.backoff')).toEqual({ due: 0, waiting: 1, active: 0 });
        delays.push(job.runAfter.getTime() - Date.now());
        expect(await queue.runNow({ id })).toBe(1); // time passes
      } else {
        expect(job.state).toBe('failed');
      }
    }
    expect(delays[0]).toBeGreaterThan(50_000);
    expect(delays[0]).toBeLessThanOrEqual(queue.kind === 'pgboss' ? 120_000 : 60_000);
    expect(delays[1]).toBeGreaterThan(110_000);
    expect(delays[1]).toBeLessThanOrEqual(queue.kind === 'pgboss' ? 240_000 : 120_000);
    expect(await queue.runOnce()).toBe(false); // failed is final
    expect(calls).toBe(3);
    expect((await queue.countByState()).failed).toBe(1);

    const other = (await queue.enqueue('t.backoff', {}, { maxAttempts: 1 }))!;
    await queue.runOnce();
    const failed = await queue.list({ state: 'failed', name: 't.backoff' });
    expect(failed.map((j) => j.id).sort()).toEqual([id, other].sort());
    expect((await queue.retryFailed('t.backoff')).sort()).toEqual([id, other].sort());
    expect(await queue.countOpen('t.backoff')).toEqual({ due: 2, waiting: 0, active: 0 });
    expect((await queue.get(id))!).toMatchObject({ state: 'queued', attempts: 0, maxAttempts: 3 });
  });
});
