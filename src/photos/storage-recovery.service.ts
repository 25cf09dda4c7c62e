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
import { abandonedIntents, clearIntent } from './ingest-intent.js';
import { tempDirOf } from './photo-paths.js';

export interface RecoveryReport {
  /** Originals placed by a crashed ingest that never committed its row (removed). */
  orphanOriginals: string[];
  /** Spool files of crashed uploads in `DATA_DIR/tmp` (removed). */
  abandonedSpools: number;
}

/**
 * Cleans what a crashed process (kill -9, power loss) left behind in the ingest path, at every
 * start and from `vitrine doctor`: originals recorded by an abandoned ingest intent whose hash
 * no photo row has, and abandoned spool files. Only files of processes that are gone are
 * touched (src/media/process-tag.ts), so it is safe next to a live import on the same data dir.
 */
@Injectable()
export class StorageRecoveryService implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(STORAGE_STRATEGY) private readonly storage: StorageStrategy,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const report = await this.recover().catch((err: unknown) => {
      this.logger.warn({ err }, 'storage recovery failed');
      return undefined;
    });
    if (report && (report.orphanOriginals.length || report.abandonedSpools)) {
      this.logger.info({ orphanOriginals: report.orphanOriginals.length, abandonedSpools: report.abandonedSpools }, 'storage: removed what an interrupted ingest left');
    }
  }

  async recover(): Promise<RecoveryReport> {
    const tempDir = tempDirOf(this.config);
    const orphanOriginals: string[] = [];
    for (const intent of await abandonedIntents(tempDir)) {
      const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM photos WHERE sha256 = $1 LIMIT 1`, [intent.sha256]);
      if (rows.length === 0) {
        const key = originalKeyOf(intent.sha256, intent.ext);
        if (await this.storage.exists(key).catch(() => false)) {
          await this.storage.removeOriginal(key);
          orphanOriginals.push(key);
        }
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
    return { orphanOriginals, abandonedSpools };
  }
}
