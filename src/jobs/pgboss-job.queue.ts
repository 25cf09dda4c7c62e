import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { EnqueueOptions, JobRecord, JobState, OpenJobCounts } from './job-queue.js';
import { listLimit, PollingJobQueue, type ClaimedJob, type PollingOptions } from './polling-job.queue.js';
import { isBossJobId, PGBOSS_SCHEMA, PgBossJobRepository } from './pgboss-job.repository.js';

export interface PgBossJobQueueOptions extends PollingOptions {
  /** postgres:// URL of the application's database (pg-boss keeps its tables in schema `pgboss` there). */
  connectionString: string;
  /** Connections of pg-boss's own pool (default 2: fetch/complete plus maintenance). */
  poolSize?: number;
  /**
   * An active job older than this is taken for dead (its worker crashed) and failed into a
   * retry by pg-boss's maintenance (default 15 min, pg-boss's `expireInSeconds`).
   */
  staleAfterMs?: number;
  /** First retry delay, whole seconds (pg-boss stores seconds); doubles per attempt with jitter (default 5000 ms; under 1 s: no delay). */
  backoffBaseMs?: number;
}

const LAST_ERROR_MAX = 2000;

/**
 * {@link JobRunner} on pg-boss 10, for PostgreSQL: pg-boss creates and migrates its schema
 * (`pgboss`) at start and owns the job rows (send, fetch, complete, fail with retry and backoff,
 * expiry of jobs whose worker died, archiving). What pg-boss 10 does not offer is added around it:
 * enqueue in the caller's TypeORM transaction (its `db` option), singleton keys meaning "one
 * queued or active" (a partial unique index of ours on its table), and listing, counts, retry
 * with a fresh budget (SQL in PgBossJobRepository). The worker loop is the shared
 * {@link PollingJobQueue} over `fetch`, so concurrency is per process across every job name, as
 * on the table queue. See src/jobs/README.md.
 */
export class PgBossJobQueue extends PollingJobQueue {
  readonly kind = 'pgboss' as const;
  private readonly boss: PgBoss;
  private starting: Promise<void> | undefined;
  private closed = false;
  private readonly queues = new Map<string, Promise<void>>();
  private cursor = 0;
  private readonly sendDefaults: { expireInSeconds: number; retryDelay: number; retryBackoff: boolean };

  constructor(
    private readonly dataSource: DataSource,
    logger: Logger,
    options: PgBossJobQueueOptions,
  ) {
    super(logger, options);
    const backoffSeconds = Math.round((options.backoffBaseMs ?? 5000) / 1000);
    this.sendDefaults = {
      expireInSeconds: Math.max(1, Math.round((options.staleAfterMs ?? 15 * 60 * 1000) / 1000)),
      retryDelay: backoffSeconds,
      retryBackoff: backoffSeconds > 0,
    };
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      max: options.poolSize ?? 2,
      application_name: 'vitrine-jobs',
      schema: PGBOSS_SCHEMA,
      migrate: true,
      // Maintenance (expire, archive, drop) runs from our poll loop; no cron scheduling.
      supervise: false,
      schedule: false,
      archiveCompletedAfterSeconds: 24 * 60 * 60,
      archiveFailedAfterSeconds: 30 * 24 * 60 * 60,
      deleteAfterDays: 7,
      retentionDays: 30,
    });
    this.boss.on('error', (err: unknown) => this.logger.warn({ err }, 'jobs: pg-boss error'));
  }

  /** Starts pg-boss once (creating or migrating its schema); every operation waits for it. */
  protected override ready(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The job queue is closed.'));
    this.starting ??= (async () => {
      try {
        await this.boss.start();
      } catch (error) {
        // pg-boss opened its pool before failing (unreachable server, no right to create its schema):
        // close it, or the process keeps connections and timers of a queue that never started.
        await (this.boss.getDb() as unknown as { close?(): Promise<void> }).close?.().catch(() => undefined);
        throw error;
      }
      await this.dataSource.transaction((em) => new PgBossJobRepository(em).ensureSingletonIndex());
      await this.adoptTableQueueJobs();
    })();
    return this.starting;
  }

  /**
   * An installation that ran the table queue on this database (JOB_QUEUE=table, or a version
   * before pg-boss) may have left open jobs in `jobs`: they move to pg-boss in one transaction
   * (fresh attempt budget, same run-after; a singleton already open in pg-boss wins), so none is lost.
   */
  private async adoptTableQueueJobs(): Promise<void> {
    const names = await this.repo().tableQueueNames();
    if (!names.length) return;
    for (const name of names) await this.ensureQueue(name);
    const moved = await this.dataSource.transaction(async (em) => {
      const jobs = await new PgBossJobRepository(em).takeTableQueueJobs();
      for (const job of jobs) {
        await this.send(job.name, job.payload, { em, singletonKey: job.singleton_key ?? undefined, maxAttempts: job.max_attempts, runAfter: job.run_after });
      }
      return jobs.length;
    });
    if (moved) this.logger.info({ moved }, 'jobs: moved open jobs of the table queue to pg-boss');
  }

  protected override async release(): Promise<void> {
    this.closed = true;
    if (!this.starting) return;
    await this.starting.catch(() => undefined);
    // Our handlers are done (stop() waited); nothing of pg-boss's own is running: close its pool.
    await this.boss.stop({ graceful: false, close: true });
  }

  /** pg-boss 10 only stores jobs of queues it knows: create each queue once (idempotent in the database). */
  private ensureQueue(name: string): Promise<void> {
    let created = this.queues.get(name);
    if (!created) {
      created = this.boss.createQueue(name, { name, policy: 'standard' }).catch((error: unknown) => {
        this.queues.delete(name);
        throw error;
      });
      this.queues.set(name, created);
    }
    return created;
  }

  protected async insert(name: string, payload: Record<string, unknown>, options: EnqueueOptions): Promise<string | null> {
    await this.ready();
    await this.ensureQueue(name);
    return this.send(name, payload, options);
  }

  /** pg-boss `send` (the queue exists). A singleton already queued or active: pg-boss's ON CONFLICT DO NOTHING meets our unique index, null. */
  private send(name: string, payload: Record<string, unknown>, options: EnqueueOptions): Promise<string | null> {
    return this.boss.send(name, payload, {
      ...this.sendDefaults,
      retryLimit: Math.max(1, options.maxAttempts ?? 5) - 1,
      ...(options.singletonKey !== undefined ? { singletonKey: options.singletonKey } : {}),
      ...(options.runAfter ? { startAfter: options.runAfter } : {}),
      ...(options.em ? { db: executorOf(options.em) } : {}),
    });
  }

  protected async claim(names: string[]): Promise<ClaimedJob | null> {
    await this.ready();
    // pg-boss fetches one queue at a time: start from the next name each claim, so no name starves.
    for (let i = 0; i < names.length; i++) {
      const index = (this.cursor + i) % names.length;
      const name = names[index]!;
      await this.ensureQueue(name);
      const [job] = await this.boss.fetch<Record<string, unknown>>(name, { batchSize: 1, includeMetadata: true });
      if (job) {
        this.cursor = index + 1;
        return { id: job.id, name, payload: job.data ?? {}, attempts: job.retryCount + 1, maxAttempts: job.retryLimit + 1 };
      }
    }
    return null;
  }

  protected async complete(job: ClaimedJob): Promise<void> {
    await this.boss.complete(job.name, job.id);
  }

  protected async fail(job: ClaimedJob, error: string): Promise<void> {
    await this.boss.fail(job.name, job.id, { message: error.slice(0, LAST_ERROR_MAX) });
  }

  /** pg-boss's maintenance: fail expired active jobs into a retry (dead workers), archive old ones. */
  protected async recover(): Promise<number> {
    await this.ready();
    const expired = await this.repo().countExpired();
    await this.boss.maintain();
    return expired;
  }

  async list(filter: { state?: JobState; name?: string; limit?: number } = {}): Promise<JobRecord[]> {
    await this.ready();
    return this.repo().list(filter.state, filter.name, listLimit(filter.limit));
  }

  async get(id: string): Promise<JobRecord | null> {
    await this.ready();
    return this.repo().get(id);
  }

  async retry(id: string): Promise<boolean> {
    if (!isBossJobId(id)) return false;
    await this.ready();
    const repo = this.repo();
    const name = await repo.failedJobName(id);
    if (name === null || !(await repo.requeue(name, id))) return false;
    if (this.handlers.has(name)) this.wake();
    return true;
  }

  async retryFailed(name?: string): Promise<string[]> {
    await this.ready();
    const ids = await this.repo().failedIds(name ?? null);
    const retried: string[] = [];
    for (const id of ids) if (await this.retry(id)) retried.push(id);
    return retried;
  }

  async countByState(): Promise<Record<JobState, number>> {
    await this.ready();
    return this.repo().countByState();
  }

  async countOpen(name?: string): Promise<OpenJobCounts> {
    await this.ready();
    return this.repo().countOpen(name ?? null);
  }

  async runNow(filter: { id: string } | { name: string; singletonKey?: string }): Promise<number> {
    await this.ready();
    return this.repo().runNow(filter);
  }

  private repo(): PgBossJobRepository {
    return new PgBossJobRepository(this.dataSource.manager);
  }
}

/** pg-boss's `db` option over a TypeORM manager: its SQL runs in that manager's transaction. */
function executorOf(em: EntityManager): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const result: unknown = await em.query(text, values);
      return { rows: Array.isArray(result) ? (result as unknown[]) : [] };
    },
  };
}
