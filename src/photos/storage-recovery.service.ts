import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { LOGGER } from '../common/logger.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { isAbandonedTag, TAG_PATTERN } from '../media/process-tag.js';
import { originalKeyOf, STORAGE_STRATEGY, type StorageStrategy } from '../media/storage.strategy.js';
import { SPOOL_PREFIX, SPOOL_SUFFIX } from '../media/upload-spool.js';
import { JOB_QUEUE, type JobQueue } from '../jobs/job-queue.js';
import { abandonedIntents, clearIntent } from './ingest-intent.js';
import { queueEagerDerivatives } from './eager-derivatives.writer.js';
import { tempDirOf } from './photo-paths.js';

export interface RecoveryReport {
  /** Originals placed by a crashed ingest that never committed its row (removed). */
  orphanOriginals: string[];
  /** Photos a crashed ingest committed before their eager sizes were written (job queued). */
  requeuedDerivatives: number;
  /** Spool files of crashed uploads in `DATA_DIR/tmp` (removed). */
  abandonedSpools: number;
}

/**
 * Cleans what a crashed process (kill -9, power loss) left behind in the ingest path, at every
 * start and from `vitrine doctor`: originals recorded by an abandoned ingest intent whose hash
 * no photo row has, and abandoned spool files. An abandoned intent whose photo was committed
 * means its eager sizes may not have been written: the `derivatives.eager` job is queued for it
 * (it returns at once when they were). Only files of processes that are gone are
 * touched (src/media/process-tag.ts), so it is safe next to a live import on the same data dir.
 */
@Injectable()
export class StorageRecoveryService implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(STORAGE_STRATEGY) private readonly storage: StorageStrategy,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const report = await this.recover().catch((err: unknown) => {
      this.logger.warn({ err }, 'storage recovery failed');
      return undefined;
    });
    if (report && (report.orphanOriginals.length || report.abandonedSpools || report.requeuedDerivatives)) {
      this.logger.info(
        { orphanOriginals: report.orphanOriginals.length, abandonedSpools: report.abandonedSpools, requeuedDerivatives: report.requeuedDerivatives },
        'storage: cleaned up after an interrupted ingest',
      );
    }
  }

  async recover(): Promise<RecoveryReport> {
    const tempDir = tempDirOf(this.config);
    const orphanOriginals: string[] = [];
    let requeuedDerivatives = 0;
    for (const intent of await abandonedIntents(tempDir)) {
      const rows: { id: number }[] = await this.dataSource.query(`SELECT id FROM photos WHERE sha256 = $1 LIMIT 1`, [intent.sha256]);
      const photoId = rows[0]?.id;
      if (photoId === undefined) {
        const key = originalKeyOf(intent.sha256, intent.ext);
        if (await this.storage.exists(key).catch(() => false)) {
          await this.storage.removeOriginal(key);
          orphanOriginals.push(key);
        }
      } else {
        await queueEagerDerivatives(this.jobs, photoId);
        requeuedDerivatives++;
      }
      await clearIntent(intent.path);
    }
    let abandonedSpools = 0;
    for (const name of await readdir(tempDir).catch(() => [] as string[])) {
      if (!name.startsWith(SPOOL_PREFIX) || !name.endsWith(SPOOL_SUFFIX)) continue;
      const tag = TAG_PATTERN.exec(name.slice(SPOOL_PREFIX.length));
      if (!tag || !isAbandonedTag(tag[0])) continue;
      await unlink(join(tempDir, name)).catch(() => undefined);
      abandonedSpools++;
    }
    return { orphanOriginals, requeuedDerivatives, abandonedSpools };
  }
}
