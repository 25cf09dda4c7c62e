import type { Logger } from 'pino';
import { VitrineError } from '../common/errors.js';
import { afterCommit } from './commit-wake.js';
import {
  describeJobError,
  JOB_NAME,
  type EnqueueOptions,
  type JobHandler,
  type JobRecord,
  type JobRunner,
  type JobState,
  type OpenJobCounts,
} from './job-queue.js';

/** A job claimed by this process (state `active`, this attempt counted). */
export interface ClaimedJob {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  /** 1 on the first run. */
  attempts: number;
  maxAttempts: number;
}

export interface PollingOptions {
  /** Pause between polls when nothing is due (default 1000 ms). */
  pollIntervalMs?: number;
  /** Jobs run at the same time by this process (default 1: sharp already uses every core). */
  concurrency?: number;
  /** How often {@link PollingJobQueue.recover} runs while polling (default every 60 s). */
  recoverEveryMs?: number;
}

/**
 * The worker shared by both queues: one poll loop over every registered job name, at most
 * `concurrency` handlers at a time, an immediate poll after a local enqueue, `runOnce`/`drain`
 * for tests and the CLI. Subclasses store the jobs (claim, complete, fail, recover). A handler
 * runs **outside** any transaction (on PGlite a transaction would hold the only session for the
 * whole image build).
 */
export abstract class PollingJobQueue implements JobRunner {
  abstract readonly kind: 'table' | 'pgboss';
  protected readonly handlers = new Map<string, JobHandler>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  /** A poll asked for by {@link wake} (epoch ms): kept until a poll starts at or after it. */
  private wakeAt: number | undefined;
  private running = false;
  private polling = false;
  private repoll = false;
  private lastRecovery = 0;
  private concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly recoverEveryMs: number;

  protected constructor(
    protected readonly logger: Logger,
    options: PollingOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.recoverEveryMs = options.recoverEveryMs ?? 60_000;
  }

  // --- storage, per implementation ---------------------------------------------------------

  /** Inserts the job (through `options.em` when given); null when a singleton already waits or runs. */
  protected abstract insert(name: string, payload: Record<string, unknown>, options: EnqueueOptions): Promise<string | null>;
  /** Claims the oldest due job among `names`; concurrent workers never get the same one. */
  protected abstract claim(names: string[]): Promise<ClaimedJob | null>;
  protected abstract complete(job: ClaimedJob): Promise<void>;
  /** Records a failed attempt: queued again after the backoff, or `failed` when attempts are used up. */
  protected abstract fail(job: ClaimedJob, error: string): Promise<void>;
  /** Re-queues jobs whose worker died; `atStart` is true for the first call of {@link start}. Returns how many. */
  protected abstract recover(atStart: boolean): Promise<number>;
  /** Called once before the first use (pg-boss starts here). */
  protected async ready(): Promise<void> {}
  /** Releases resources after the worker stopped (see {@link close}). */
  protected async release(): Promise<void> {}

  abstract list(filter?: { state?: JobState; name?: string; limit?: number }): Promise<JobRecord[]>;
  abstract get(id: string): Promise<JobRecord | null>;
  abstract retry(id: string): Promise<boolean>;
  abstract retryFailed(name?: string): Promise<string[]>;
  abstract countByState(): Promise<Record<JobState, number>>;
  abstract countOpen(name?: string): Promise<OpenJobCounts>;
  abstract runNow(filter: { id: string } | { name: string; singletonKey?: string }): Promise<number>;

  // --- the contract --------------------------------------------------------------------------

  async enqueue(name: string, payload: Record<string, unknown>, options: EnqueueOptions = {}): Promise<string | null> {
    if (!JOB_NAME.test(name)) throw new VitrineError('invalid', 'job.invalid_name', `"${name.slice(0, 40)}" is not a valid job name.`);
    const id = await this.insert(name, payload, options);
    // A due job of this process's own handlers runs without waiting for the next poll; inside the
    // caller's transaction it only becomes visible at commit: poll then (and 50 ms later anyway).
    if (id !== null && this.handlers.has(name) && (!options.runAfter || options.runAfter.getTime() <= Date.now())) {
      if (!options.em) this.wake(0);
      else {
        afterCommit(options.em, () => this.wake(0));
        this.wake(50);
      }
    }
    return id;
  }

  work<P = Record<string, unknown>>(name: string, handler: JobHandler<P>): void {
    if (!JOB_NAME.test(name)) throw new VitrineError('invalid', 'job.invalid_name', `"${name.slice(0, 40)}" is not a valid job name.`);
    if (this.handlers.has(name)) throw new VitrineError('conflict', 'job.duplicate_handler', `A handler for "${name}" is already registered.`);
    this.handlers.set(name, handler as JobHandler);
  }

  setConcurrency(concurrency: number): void {
    this.concurrency = Math.max(1, Math.floor(concurrency));
    this.schedule(0);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.ready();
    this.running = true;
    const recovered = await this.recover(true);
    this.lastRecovery = Date.now();
    if (recovered) this.logger.info({ recovered }, 'jobs: re-queued jobs interrupted by a restart');
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeAt = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    await this.stop();
    await this.release();
  }

  async runOnce(): Promise<boolean> {
    if (this.handlers.size === 0) return false;
    await this.ready();
    const job = await this.claim([...this.handlers.keys()]);
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

  // --- the worker ----------------------------------------------------------------------------

  private async execute(job: ClaimedJob): Promise<void> {
    const handler = this.handlers.get(job.name);
    const started = Date.now();
    try {
      if (!handler) throw new Error(`No handler for ${job.name}`);
      await handler({ id: job.id, name: job.name, payload: job.payload, attempt: job.attempts });
      await this.complete(job);
      this.logger.debug({ job: job.id, name: job.name, ms: Date.now() - started }, 'job completed');
    } catch (error) {
      await this.fail(job, describeJobError(error)).catch((e: unknown) => this.logger.error({ err: e, job: job.id }, 'jobs: could not record a failure'));
      const final = job.attempts >= job.maxAttempts;
      this.logger[final ? 'error' : 'warn']({ job: job.id, name: job.name, attempt: job.attempts, err: error }, final ? 'job failed for good' : 'job failed, will retry');
    }
  }

  /** Polls now (when the worker runs), e.g. after a job of this process's handlers became due. */
  protected wake(delay = 0): void {
    if (!this.running) return;
    const at = Date.now() + delay;
    this.wakeAt = Math.min(this.wakeAt ?? at, at);
    this.schedule(delay);
  }

  /** Plans the next poll in `delay` ms unless one is already planned sooner. */
  private schedule(delay: number): void {
    if (!this.running) return;
    const at = Date.now() + delay;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, delay);
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
    if (this.wakeAt !== undefined && this.wakeAt <= Date.now()) this.wakeAt = undefined;
    let claimedAny = false;
    try {
      if (Date.now() - this.lastRecovery >= this.recoverEveryMs) {
        this.lastRecovery = Date.now();
        await this.recover(false);
      }
      while (this.running && this.inFlight.size < this.concurrency) {
        const job = this.handlers.size ? await this.claim([...this.handlers.keys()]) : null;
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
    else if (this.running && !claimedAny && this.inFlight.size === 0) {
      // Idle: the regular interval, or sooner when a wake (a local enqueue) is still pending.
      this.schedule(this.wakeAt !== undefined ? Math.max(0, this.wakeAt - Date.now()) : this.pollIntervalMs);
    }
  }
}

/** The `limit` of a listing: default 100, between 1 and 1000. */
export function listLimit(limit: number | undefined): number {
  return Math.min(Math.max(Math.floor(limit ?? 100), 1), 1000);
}
