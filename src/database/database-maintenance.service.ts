import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { LOGGER } from '../common/logger.js';
import { JOB_QUEUE, type JobQueue } from '../jobs/job-queue.js';
import { isEmbeddedDatabase } from './data-source.js';

/** The job that vacuums and analyses the embedded database. */
export const VACUUM_JOB = 'database.vacuum';
/** How often it runs: often enough that counts refreshes and listings keep their plans and speed. */
export const VACUUM_INTERVAL_MS = 6 * 60 * 60 * 1000;

/**
 * Embedded PGlite has no autovacuum: dead rows from updates (cached album counts, sessions, jobs)
 * are never reclaimed and planner statistics never refreshed, which made the count refreshes of
 * bench:tree 3–6× slower. On PGlite this schedules `VACUUM ANALYZE` as a durable singleton job,
 * a minute after start-up and then every {@link VACUUM_INTERVAL_MS}. Postgres does this itself.
 */
@Injectable()
export class DatabaseMaintenanceService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    if (isEmbeddedDatabase(this.dataSource)) this.jobs.work(VACUUM_JOB, () => this.vacuum());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!isEmbeddedDatabase(this.dataSource)) return;
    await this.schedule(new Date(Date.now() + 60_000));
    this.timer = setInterval(() => void this.schedule(new Date()).catch((err: unknown) => this.logger.warn({ err }, 'could not schedule the database vacuum')), VACUUM_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** `VACUUM ANALYZE` of the whole database (outside any transaction, as VACUUM requires). */
  async vacuum(): Promise<void> {
    const started = Date.now();
    await this.dataSource.query('VACUUM ANALYZE');
    this.logger.info({ ms: Date.now() - started }, 'embedded database vacuumed and analysed');
  }

  /** Queues a vacuum unless one already waits or runs. */
  async schedule(runAfter: Date): Promise<void> {
    // A singleton: restarts and timer ticks never stack up copies while one waits or runs.
    await this.jobs.enqueue(VACUUM_JOB, {}, { singletonKey: 'vacuum', runAfter, maxAttempts: 3 });
  }
}
