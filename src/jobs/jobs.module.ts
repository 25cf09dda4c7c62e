import { Global, Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { LOGGER } from '../common/logger.js';
import { DatabaseMaintenanceService } from '../database/database-maintenance.service.js';
import { isEmbeddedDatabase } from '../database/data-source.js';
import { DbJobQueue } from './db-job.queue.js';
import { JOB_QUEUE } from './job-queue.js';


/**
 * The job queue ({@link JOB_QUEUE}, backed by {@link DbJobQueue}) and its worker, which starts
 * polling once every module has registered its handlers and stops (waiting for running jobs)
 * before the database closes. Set `VITRINE_JOBS_POLL=off` to run jobs only through `drain()`.
 */
@Global()
@Module({
  providers: [
    {
      provide: DbJobQueue,
      inject: [DataSource, LOGGER],
      useFactory: (dataSource: DataSource, logger: Logger) =>
        new DbJobQueue(dataSource, logger, { recoverAllAtStart: isEmbeddedDatabase(dataSource) }),
    },
    { provide: JOB_QUEUE, useExisting: DbJobQueue },
    DatabaseMaintenanceService,
  ],
  exports: [DbJobQueue, JOB_QUEUE],
})
export class JobsModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(DbJobQueue) private readonly queue: DbJobQueue) {}

  async onApplicationBootstrap(): Promise<void> {
    if (process.env.VITRINE_JOBS_POLL !== 'off') await this.queue.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.stop();
  }
}
