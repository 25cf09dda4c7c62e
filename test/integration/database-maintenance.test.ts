import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseMaintenanceService, VACUUM_JOB } from '../../src/database/database-maintenance.service.js';
import { JOB_QUEUE, type JobRunner } from '../../src/jobs/job-queue.js';
import { isEmbeddedDatabase } from '../../src/database/data-source.js';
import { insertPhotoRows } from '../support/photo-rows.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('database maintenance', () => {
  let t: TestApp;
  let queue: JobRunner;
  beforeAll(async () => {
    t = await createTestApp({}, {});
    queue = t.app.get<JobRunner>(JOB_QUEUE);
  });
  afterAll(() => t?.close());

  const reltuples = async (table: string) =>
    Number((await t.db.dataSource.query(`SELECT reltuples FROM pg_class WHERE relname = $1`, [table]))[0].reltuples);

  it('on PGlite, schedules one VACUUM ANALYZE job that refreshes planner statistics; on Postgres, none', async () => {
    const jobs = await queue.list({ name: VACUUM_JOB });
    if (!isEmbeddedDatabase(t.db.dataSource)) {
      expect(jobs).toEqual([]);
      return;
    }
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.state).toBe('queued');
    expect(jobs[0]!.runAfter.getTime()).toBeGreaterThan(Date.now());

    // A second bootstrap (a restart) does not stack a second job.
    await t.app.get(DatabaseMaintenanceService).schedule(new Date());
    expect(await queue.list({ name: VACUUM_JOB })).toHaveLength(1);

    await insertPhotoRows(t.db.dataSource, 40);
    expect(await reltuples('photos')).not.toBe(40); // never analysed: -1
    expect(await queue.runNow({ name: VACUUM_JOB })).toBe(1);
    await queue.drain();
    expect((await queue.list({ name: VACUUM_JOB }))[0]!.state).toBe('completed');
    expect(await reltuples('photos')).toBe(40);
  });
});
