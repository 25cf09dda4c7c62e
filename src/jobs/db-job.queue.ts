import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { EnqueueOptions, JobRecord, JobState, OpenJobCounts } from './job-queue.js';
import { JobRepository } from './job.repository.js';
import { listLimit, PollingJobQueue, type ClaimedJob, type PollingOptions } from './polling-job.queue.js';

export interface DbJobQueueOptions extends PollingOptions {
  /**
   * `active` jobs locked longer ago than this are re-queued (their worker died). On PGlite only
   * this process can hold the database, so the boot-time recovery uses 0 (every active row).
   */
  staleAfterMs?: number;
  /** Recover every active row at start (single-process databases). */
  recoverAllAtStart?: boolean;
  /** First retry delay; doubles per attempt, capped at 1 hour (default 5000 ms). */
  backoffBaseMs?: number;
}

const MAX_BACKOFF_MS = 60 * 60 * 1000;

/**
 * {@link JobRunner} on the `jobs` table: the queue of the embedded PGlite database (and of
 * Postgres with `JOB_QUEUE=table`). Claims use `FOR UPDATE SKIP LOCKED`, so several processes on
 * one Postgres can share the table.
 */
export class DbJobQueue extends PollingJobQueue {
  readonly kind = 'table' as const;
  private readonly staleAfterMs: number;
  private readonly recoverAllAtStart: boolean;
  private readonly backoffBaseMs: number;

  constructor(
    private readonly dataSource: DataSource,
    logger: Logger,
    options: DbJobQueueOptions = {},
  ) {
    super(logger, options);
    this.staleAfterMs = options.staleAfterMs ?? 15 * 60 * 1000;
    this.recoverAllAtStart = options.recoverAllAtStart ?? false;
    this.backoffBaseMs = options.backoffBaseMs ?? 5000;
  }

  protected insert(name: string, payload: Record<string, unknown>, options: EnqueueOptions): Promise<string | null> {
    return new JobRepository(options.em ?? this.dataSource.manager).insert(name, payload, options.maxAttempts ?? 5, options.runAfter ?? null, options.singletonKey ?? null);
  }

  protected claim(names: string[]): Promise<ClaimedJob | null> {
    return this.repo().claim(names);
  }

  protected complete(job: ClaimedJob): Promise<void> {
    return this.repo().complete(job.id);
  }

  protected fail(job: ClaimedJob, error: string): Promise<void> {
    return this.repo().fail(job.id, error, Math.min(this.backoffBaseMs * 2 ** (job.attempts - 1), MAX_BACKOFF_MS));
  }

  protected recover(atStart: boolean): Promise<number> {
    return this.repo().recoverStale(atStart && this.recoverAllAtStart ? 0 : this.staleAfterMs);
  }

  list(filter: { state?: JobState; name?: string; limit?: number } = {}): Promise<JobRecord[]> {
    return this.repo().list(filter.state, filter.name, listLimit(filter.limit));
  }

  get(id: string): Promise<JobRecord | null> {
    return this.repo().get(id);
  }

  retry(id: string): Promise<boolean> {
    return this.repo().retry(id);
  }

  retryFailed(name?: string): Promise<string[]> {
    return this.repo().retryFailed(name ?? null);
  }

  countByState(): Promise<Record<JobState, number>> {
    return this.repo().countByState();
  }

  countOpen(name?: string): Promise<OpenJobCounts> {
    return this.repo().countOpen(name ?? null);
  }

  runNow(filter: { id: string } | { name: string; singletonKey?: string }): Promise<number> {
    return this.repo().runNow(filter);
  }

  private repo(): JobRepository {
    return new JobRepository(this.dataSource.manager);
  }
}
