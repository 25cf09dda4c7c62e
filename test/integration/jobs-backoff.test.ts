import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/common/logger.js';
import { DbJobQueue } from '../../src/jobs/db-job.queue.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('DbJobQueue failure handling (vitrine jobs)', () => {
  let db: TestDatabase;
  let queue: DbJobQueue;
  beforeAll(async () => {
    db = await createTestDatabase();
    queue = new DbJobQueue(db.dataSource, createLogger('silent'), { backoffBaseMs: 60_000 });
  });
  afterAll(async () => {
    await queue.stop();
    await db.close();
  });

  it('waits base·2^(attempt−1) before each retry, then ends failed with the last error; retryFailed re-queues all', async () => {
    let calls = 0;
    queue.work('t.backoff', async () => {
      calls++;
      throw new Error(`broken ${calls}`);
    });
    const id = (await queue.enqueue('t.backoff', {}, { maxAttempts: 3 }))!;
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await queue.runOnce()).toBe(true);
      expect(await queue.runOnce()).toBe(false); // not due yet: the backoff holds it
      const [row] = await db.dataSource.query(`SELECT state, attempts, last_error, EXTRACT(EPOCH FROM (run_after - now())) * 1000 AS wait FROM jobs WHERE id = $1`, [id]);
      expect(row.attempts).toBe(attempt);
      expect(row.last_error).toBe(`Error: broken ${attempt}`);
      if (attempt < 3) {
        expect(row.state).toBe('queued');
        delays.push(Number(row.wait));
        await db.dataSource.query(`UPDATE jobs SET run_after = now() WHERE id = $1`, [id]); // time passes
      } else {
        expect(row.state).toBe('failed');
      }
    }
    expect(delays[0]).toBeGreaterThan(50_000);
    expect(delays[0]).toBeLessThanOrEqual(60_000);
    expect(delays[1]).toBeGreaterThan(110_000);
    expect(delays[1]).toBeLessThanOrEqual(120_000);
    expect(await queue.runOnce()).toBe(false); // failed is final
    expect(calls).toBe(3);

    const other = (await queue.enqueue('t.backoff', {}, { maxAttempts: 1 }))!;
    await queue.runOnce();
    const failed = await queue.list({ state: 'failed', name: 't.backoff' });
    expect(failed.map((j) => j.id).sort()).toEqual([id, other].sort());
    expect((await queue.retryFailed('t.backoff')).sort()).toEqual([id, other].sort());
    expect(await queue.countOpen('t.backoff')).toEqual({ due: 2, waiting: 0, active: 0 });
  });
});
