import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { JobQueue } from '../jobs/job-queue.js';
import { blurPlaceholderOf, DERIVATIVE_EXT, encodeFromIntermediate, writeEncoded, type EncodedDerivatives } from '../media/derivative.generator.js';
import type { ProbedImage } from '../media/image-probe.js';
import type { ImageSizeRegistry } from '../media/image-size.registry.js';
import type { StorageStrategy } from '../media/storage.strategy.js';
import { PhotoRepository } from './photo.repository.js';

/** Name of the job that builds the eager derivative sizes of one photo from its original. */
export const EAGER_DERIVATIVES_JOB = 'derivatives.eager';

/** Singleton key of a photo's {@link EAGER_DERIVATIVES_JOB}: at most one waits or runs per photo. */
export function eagerJobKey(photoId: number): string {
  return `photo:${photoId}`;
}

/**
 * Queues the {@link EAGER_DERIVATIVES_JOB} of one photo (a no-op returning null while one waits
 * or runs); inside the caller's transaction when `em` is given.
 */
export function queueEagerDerivatives(jobs: JobQueue, photoId: number, em?: EntityManager): Promise<string | null> {
  return jobs.enqueue(EAGER_DERIVATIVES_JOB, { photoId }, { ...(em ? { em } : {}), singletonKey: eagerJobKey(photoId) });
}

/** The eager sizes being encoded from the probe's decode, and the blur placeholder apart (ready first). */
export interface EagerEncoding {
  files: Promise<EncodedDerivatives>;
  placeholder: Promise<string | undefined>;
}

/**
 * The eager sizes of an ingest, made from the probe's verifying decode instead of a second decode
 * of the original (src/media/README.md "One decode per upload"): started before the transaction,
 * written after the commit once the photo has its id (its folder). Whatever cannot be written
 * here is left to the `derivatives.eager` job.
 */
export class EagerDerivativesWriter {
  constructor(
    private readonly deps: {
      dataSource: DataSource;
      storage: StorageStrategy;
      jobs: JobQueue;
      maxImagePixels: number;
      sizes?: ImageSizeRegistry;
      logger?: Logger;
    },
  ) {}

  /**
   * Starts encoding the eager sizes and, apart, the blur placeholder from the probe's decode;
   * undefined when the probe kept no decode. The intermediate is released from `image` at once.
   * Failures surface where the promises are awaited (the placeholder's as undefined).
   */
  start(image: ProbedImage): EagerEncoding | undefined {
    const intermediate = image.intermediate;
    image.intermediate = undefined; // let the buffer go as soon as the encoders are done with it
    if (!intermediate || !this.deps.sizes) return undefined;
    const files = encodeFromIntermediate(intermediate, this.deps.sizes.eager(), { maxImagePixels: this.deps.maxImagePixels, formats: ['jpeg'], placeholder: false });
    const placeholder = blurPlaceholderOf(intermediate).catch(() => undefined); // the job makes it if this fails
    files.catch(() => undefined); // awaited after the commit; unobserved if the ingest fails first
    return { files, placeholder };
  }

  /**
   * Writes the encoded sizes of a new photo into its folder (its row already holds the
   * placeholder). On failure the job is queued to build them from the original. True when the
   * files or the job are in place, false when neither is (the caller keeps its ingest intent, so
   * the storage recovery queues the job at the next start).
   */
  async writeNew(photoId: number, eager: EagerEncoding): Promise<boolean> {
    if (await this.write(photoId, eager)) return true;
    return this.queueJob(photoId);
  }

  /**
   * {@link writeNew} for a photo whose file was replaced: the new placeholder and dimensions go on
   * the row once the files are written.
   */
  async writeReplaced(photoId: number, eager: EagerEncoding): Promise<boolean> {
    const set = await this.write(photoId, eager);
    if (!set) return this.queueJob(photoId);
    await new PhotoRepository(this.deps.dataSource.manager).saveDerivativeFacts(photoId, {
      width: set.source.width,
      height: set.source.height,
      blurPlaceholder: (await eager.placeholder) ?? null,
    });
    return true;
  }

  /** Queues the job that builds the eager sizes from the original; false when even that failed. */
  async queueJob(photoId: number): Promise<boolean> {
    try {
      await queueEagerDerivatives(this.deps.jobs, photoId);
      return true;
    } catch (error) {
      this.deps.logger?.error({ err: error, photoId }, 'ingest: could not queue the eager derivatives; the next start will');
      return false;
    }
  }

  private async write(photoId: number, eager: EagerEncoding) {
    try {
      return await writeEncoded(await eager.files, (size, format) => this.deps.storage.derivativePath(photoId, size.name, DERIVATIVE_EXT[format]));
    } catch (error) {
      this.deps.logger?.warn({ err: error, photoId }, 'ingest: eager derivatives left to the job');
      return undefined;
    }
  }
}
