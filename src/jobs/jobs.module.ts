import { Global, Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { LOGGER } from '../common/logger.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { DatabaseMaintenanceService } from '../database/database-maintenance.service.js';
import { createJobQueue } from './job-queue.factory.js';
import { JOB_QUEUE, type JobRunner } from './job-queue.js';

/**
 * The job queue ({@link JOB_QUEUE}: pg-boss on PostgreSQL, the `jobs` table on PGlite, as
 * `JOB_QUEUE` chooses) and its worker, which starts polling once every module has registered its
 * handlers and closes (waiting for running jobs, then releasing pg-boss's pool) before the
 * database closes. Set `VITRINE_JOBS_POLL=off` to run jobs only through `drain()`.
 */
@Global()
@Module({
  providers: [
    {
      provide: JOB_QUEUE,
      inject: [DataSource, LOGGER, VITRINE_CONFIG],
      useFactory: (dataSource: DataSource, logger: Logger, config: VitrineConfig) => createJobQueue(dataSource, logger, { choice: config.jobQueue }),
    },
    DatabaseMaintenanceService,
  ],
  exports: [JOB_QUEUE],
})
export class JobsModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(JOB_QUEUE) private readonly queue: JobRunner) {}

  async onApplicationBootstrap(): Promise<void> {
    if (process.env.VITRINE_JOBS_POLL !== 'off') await this.queue.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }
}
