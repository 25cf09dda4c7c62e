import { stat } from 'node:fs/promises';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { JOB_QUEUE, type JobContext, type JobQueue } from '../jobs/job-queue.js';
import { DERIVATIVE_EXT, generateDerivatives } from '../media/derivative.generator.js';
import { ImageSizeRegistry } from '../media/image-size.registry.js';
import { STORAGE_STRATEGY, type StorageStrategy } from '../media/storage.strategy.js';
import { EAGER_DERIVATIVES_JOB } from './eager-derivatives.writer.js';
import { PhotoRepository } from './photo.repository.js';

/**
 * The `derivatives.eager` job: decodes the original once and writes the registry's eager sizes
 * (JPEG), then stores the blur placeholder and the oriented width/height. Idempotent: running it
 * twice rewrites the same files. If the photo was deleted meanwhile, the files are removed again.
 */
@Injectable()
export class DerivativeJobHandler implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sizes: ImageSizeRegistry,
    @Inject(STORAGE_STRATEGY) private readonly storage: StorageStrategy,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work<{ photoId: number }>(EAGER_DERIVATIVES_JOB, (job) => this.run(job));
  }

  async run(job: JobContext<{ photoId: number }>): Promise<void> {
    const photoId = Number(job.payload.photoId);
    const row = await new PhotoRepository(this.dataSource.manager).fileRow(photoId);
    if (!row?.storage_key) return; // deleted before the job ran: nothing to build
    // A crash while the eager sizes were written leaves temp files of a dead process beside them.
    await this.storage.removeAbandonedDerivativeTemps(photoId);
    if (await this.alreadyBuilt(photoId)) return; // ingest wrote them from the probe's decode
    const set = await generateDerivatives(
      this.storage.originalPath(row.storage_key),
      this.sizes.eager(),
      (size, format) => this.storage.derivativePath(photoId, size.name, DERIVATIVE_EXT[format]),
      { maxImagePixels: this.config.maxImagePixels, formats: ['jpeg'] },
    );
    const saved = await new PhotoRepository(this.dataSource.manager).saveDerivativeFacts(photoId, {
      width: set.source.width,
      height: set.source.height,
      blurPlaceholder: set.placeholder ?? null,
    });
    if (!saved) await this.storage.removeDerivatives(photoId);
  }

  /** The placeholder is saved after the files, so with it and every eager file present the work is done. */
  private async alreadyBuilt(photoId: number): Promise<boolean> {
    const rows: { done: boolean }[] = await this.dataSource.query(`SELECT blur_placeholder IS NOT NULL AS done FROM photos WHERE id = $1`, [photoId]);
    if (!rows[0]?.done) return false;
    for (const size of this.sizes.eager()) {
      if (!(await stat(this.storage.derivativePath(photoId, size.name, DERIVATIVE_EXT.jpeg)).catch(() => undefined))) return false;
    }
    return true;
  }
}
