import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { VitrineError } from '../common/errors.js';
import { JOB_NAME, type EnqueueOptions, type JobHandler, type JobQueue, type JobRecord, type JobState } from './job-queue.js';
import { JobRepository, type ClaimedJob } from './job.repository.js';

export interface DbJobQueueOptions {
  /** Pause between polls when nothing is due (default 1000 ms). */
  pollIntervalMs?: number;
  /** Jobs run at the same time by this process (default 1: sharp already uses every core). */
  concurrency?: number;
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
 * {@link JobQueue} on the `jobs` table, for PGlite and Postgres alike (see src/jobs/README.md for
 * why not pg-boss). Claims use `FOR UPDATE SKIP LOCKED`, so several processes on one Postgres
 * can share the table. A handler runs *outside* any transaction: on PGlite a long transaction
 * would hold the single session for the whole image build.
 */
export class DbJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private polling = false;
  private repoll = false;
  private pollCount = 0;
  private options: Required<DbJobQueueOptions>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    options: DbJobQueueOptions = {},
  ) {
    this.options = {
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      concurrency: Math.max(1, options.concurrency ?? 1),
      staleAfterMs: options.staleAfterMs ?? 15 * 60 * 1000,
      recoverAllAtStart: options.recoverAllAtStart ?? false,
      backoffBaseMs: options.backoffBaseMs ?? 5000,
    };
  }

  async enqueue(name: string, payload: Record<string, unknown>, options: EnqueueOptions = {}): Promise<number | null> {
    if (!JOB_NAME.test(name)) throw new VitrineError('invalid', 'job.invalid_name', `"${name.slice(0, 40)}" is not a valid job name.`);
    const repo = new JobRepository(options.em ?? this.dataSource.manager);
    return repo.insert(name, payload, options.maxAttempts ?? 5, options.runAfter ?? null, options.singletonKey ?? null);
  }

  work<P = Record<string, unknown>>(name: string, handler: JobHandler<P>): void {
    if (this.handlers.has(name)) throw new VitrineError('conflict', 'job.duplicate_handler', `A handler for "${name}" is already registered.`);
    this.handlers.set(name, handler as JobHandler);
  }

  list(filter: { state?: JobState; name?: string; limit?: number } = {}): Promise<JobRecord[]> {
    return new JobRepository(this.dataSource.manager).list(filter.state, filter.name, Math.min(Math.max(filter.limit ?? 100, 1), 1000));
  }

  retry(id: number): Promise<boolean> {
    return new JobRepository(this.dataSource.manager).retry(id);
  }

  /** Re-queues every failed job (optionally of one name) with a fresh budget; returns their ids. */
  retryFailed(name?: string): Promise<number[]> {
    return this.repo().retryFailed(name ?? null);
  }

  /** Changes how many jobs this process runs at once (e.g. the import command uses both cores). */
  setConcurrency(concurrency: number): void {
    this.options = { ...this.options, concurrency: Math.max(1, Math.floor(concurrency)) };
    this.schedule(0);
  }

  /** Jobs not finished yet: due now (`queued`, run_after passed), `waiting` (a retry later), `active`. */
  countOpen(name?: string): Promise<{ due: number; waiting: number; active: number }> {
    return this.repo().countOpen(name ?? null);
  }

  /** Jobs this process is running right now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Re-queues jobs left `active` by a dead worker, then polls until {@link stop}. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const recovered = await this.repo().recoverStale(this.options.recoverAllAtStart ? 0 : this.options.staleAfterMs);
    if (recovered) this.logger.info({ recovered }, 'jobs: re-queued jobs interrupted by a restart');
    this.schedule(0);
  }

  /** Stops polling and waits for running handlers. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Claims and runs one due job with a registered handler. Returns false when none was due.
   * Tests call it (or {@link drain}) instead of waiting for the poller.
   */
  async runOnce(): Promise<boolean> {
    if (this.handlers.size === 0) return false;
    const job = await this.repo().claim([...this.handlers.keys()]);
    if (!job) return false;
    const run = this.execute(job);
    this.inFlight.add(run);
    try {
      await run;
    } finally {
      this.inFlight.delete(run);
    }
    return true;
  }

  /** Runs due jobs until none is left (including ones the poller had started). */
  async drain(): Promise<number> {
    let ran = 0;
    for (;;) {
      if (await this.runOnce()) {
        ran++;
        continue;
      }
      if (this.inFlight.size === 0) return ran;
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const handler = this.handlers.get(job.name);
    const started = Date.now();
    try {
      if (!handler) throw new Error(`No handler for ${job.name}`);
      await handler({ id: job.id, name: job.name, payload: job.payload, attempt: job.attempts });
      await this.repo().complete(job.id);
      this.logger.debug({ job: job.id, name: job.name, ms: Date.now() - started }, 'job completed');
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const delay = Math.min(this.options.backoffBaseMs * 2 ** (job.attempts - 1), MAX_BACKOFF_MS);
      await this.repo()
        .fail(job.id, message, delay)
        .catch((e: unknown) => this.logger.error({ err: e, job: job.id }, 'jobs: could not record a failure'));
      const final = job.attempts >= job.maxAttempts;
      this.logger[final ? 'error' : 'warn']({ job: job.id, name: job.name, attempt: job.attempts, err: error }, final ? 'job failed for good' : 'job failed, will retry');
    }
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), delay);
    this.timer.unref?.();
  }

  private async poll(): Promise<void> {
    // One poll at a time, so `concurrency` holds; a request for another poll meanwhile is kept.
    if (this.polling) {
      this.repoll = true;
      return;
    }
    this.polling = true;
    this.repoll = false;
    let claimedAny = false;
    try {
      if (++this.pollCount % 60 === 0) await this.repo().recoverStale(this.options.staleAfterMs);
      while (this.running && this.inFlight.size < this.options.concurrency) {
        const job = this.handlers.size ? await this.repo().claim([...this.handlers.keys()]) : null;
        if (!job) break;
        claimedAny = true;
        const run = this.execute(job).finally(() => {
          this.inFlight.delete(run);
          if (this.running) this.schedule(0);
        });
        this.inFlight.add(run);
      }
    } catch (error) {
      if (this.running) this.logger.warn({ err: error }, 'jobs: poll failed');
    } finally {
      this.polling = false;
    }
    if (this.repoll) this.schedule(0);
    else if (this.running && !claimedAny && this.inFlight.size === 0) this.schedule(this.options.pollIntervalMs);
  }

  private repo(): JobRepository {
    return new JobRepository(this.dataSource.manager);
  }
}
