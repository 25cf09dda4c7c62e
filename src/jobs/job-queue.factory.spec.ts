import type { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../common/logger.js';
import { createJobQueue, jobQueueKind } from './job-queue.factory.js';

const embedded = { options: { type: 'postgres', driver: {} } } as unknown as DataSource;
const postgres = { options: { type: 'postgres', url: 'postgres://u@127.0.0.1:1/none' } } as unknown as DataSource;

describe('jobQueueKind', () => {
  it('auto: pg-boss on PostgreSQL, the table queue on embedded PGlite', () => {
    expect(jobQueueKind('auto', postgres)).toBe('pgboss');
    expect(jobQueueKind('auto', embedded)).toBe('table');
  });

  it('honours an explicit choice and refuses pg-boss on PGlite by name', () => {
    expect(jobQueueKind('table', postgres)).toBe('table');
    expect(jobQueueKind('pgboss', postgres)).toBe('pgboss');
    expect(() => jobQueueKind('pgboss', embedded)).toThrow(/JOB_QUEUE=pgboss needs a PostgreSQL server/);
  });

  it('builds the chosen implementation without connecting', async () => {
    const logger = createLogger('silent');
    const boss = createJobQueue(postgres, logger);
    expect(boss.kind).toBe('pgboss');
    await boss.close(); // never started: nothing to release
    expect(createJobQueue(postgres, logger, { choice: 'table' }).kind).toBe('table');
  });

  it('pg-boss on an unreachable server: operations reject, close() still releases its pool', async () => {
    const boss = createJobQueue(postgres, createLogger('silent'));
    await expect(boss.list()).rejects.toThrow(/ECONNREFUSED|connect/);
    await expect(boss.enqueue('t.x', {})).rejects.toThrow();
    await boss.close();
    await expect(boss.list()).rejects.toThrow(/closed/);
  });
});
