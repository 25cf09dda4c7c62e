import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { VitrineError } from '../common/errors.js';
import type { JobQueueChoice } from '../config/config.js';
import { isEmbeddedDatabase } from '../database/data-source.js';
import { DbJobQueue } from './db-job.queue.js';
import type { JobRunner } from './job-queue.js';
import { PgBossJobQueue } from './pgboss-job.queue.js';

export interface JobQueueFactoryOptions {
  /** `JOB_QUEUE`: `auto` (default) = pg-boss on PostgreSQL, the table queue on embedded PGlite. */
  choice?: JobQueueChoice;
  /** Poll interval, concurrency, backoff base, stale/expiry time (tests shorten them). */
  pollIntervalMs?: number;
  concurrency?: number;
  backoffBaseMs?: number;
  staleAfterMs?: number;
}

/** Which implementation runs for a choice on this database; `pgboss` on PGlite is refused by name. */
export function jobQueueKind(choice: JobQueueChoice, dataSource: DataSource): 'table' | 'pgboss' {
  const embedded = isEmbeddedDatabase(dataSource);
  if (choice === 'auto') return embedded ? 'table' : 'pgboss';
  if (choice === 'pgboss' && embedded) {
    throw new VitrineError('invalid', 'config.job_queue', 'JOB_QUEUE=pgboss needs a PostgreSQL server (DATABASE_URL); the embedded database runs JOB_QUEUE=table (or auto).');
  }
  return choice;
}

/** The job queue for this database (see src/jobs/README.md). Call `close()` when done. */
export function createJobQueue(dataSource: DataSource, logger: Logger, options: JobQueueFactoryOptions = {}): JobRunner {
  const kind = jobQueueKind(options.choice ?? 'auto', dataSource);
  const { pollIntervalMs, concurrency, backoffBaseMs, staleAfterMs } = options;
  if (kind === 'table') {
    // PGlite: the data-dir lock guarantees one process, so every active row at start is an interrupted one.
    return new DbJobQueue(dataSource, logger, { pollIntervalMs, concurrency, backoffBaseMs, staleAfterMs, recoverAllAtStart: isEmbeddedDatabase(dataSource) });
  }
  const url = (dataSource.options as { url?: string }).url;
  if (!url) throw new VitrineError('invalid', 'config.job_queue', 'JOB_QUEUE=pgboss needs the database URL (DATABASE_URL).');
  return new PgBossJobQueue(dataSource, logger, { connectionString: url, pollIntervalMs, concurrency, backoffBaseMs, staleAfterMs });
}
