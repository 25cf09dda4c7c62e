import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal.js';
import { AlbumService } from '../albums/album.service.js';
import { Errors, VitrineError } from '../common/errors.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { JOB_QUEUE, type JobQueue } from '../jobs/job-queue.js';
import { probeImage, type ProbedImage } from '../media/image-probe.js';
import { STORAGE_STRATEGY, type StorageStrategy } from '../media/storage.strategy.js';
import { admitUpload, type AdmittedUpload } from '../media/upload-admission.js';
import type { SpooledFile } from '../media/upload-spool.js';
import { extractMetadata } from '../metadata/metadata.extractor.js';
import { METADATA_LIMITS } from '../metadata/metadata.model.js';
import { cleanTags, cleanText } from '../metadata/metadata.sanitizer.js';
import type { PhotoStatus } from './photo.entity.js';
import { PhotoRepository, type PhotoSummary } from './photo.repository.js';
import { tempDirOf } from './photo-paths.js';

/** Name of the job that builds the eager derivative sizes of one photo. */
export const EAGER_DERIVATIVES_JOB = 'derivatives.eager';

/** The bytes of one upload: a stream to spool, a temp file the caller hands over, or a file already spooled. */
export type IngestSource =
  | { stream: Readable | AsyncIterable<Uint8Array | string> }
  | { tempPath: string }
  | { spooled: SpooledFile }
  | { admitted: AdmittedUpload };

export interface IngestInput {
  source: IngestSource;
  /** The client's file name: shown, never used as a path. */
  originalName: string;
  /** Albums to link the photo to (at least one; each must exist). Authorisation is the caller's. */
  albumIds: number[];
  title?: string | null;
  description?: string | null;
  tags?: string[];
  principal: Principal;
  /** `lounge` for ws.php uploads that wait for `uploadCompleted` (default `ready`). */
  status?: PhotoStatus;
  signal?: AbortSignal;
}

export interface IngestResult {
  photo: PhotoSummary;
  /** True when identical content was already stored: the existing photo was linked instead. */
  duplicate: boolean;
}

const PG_UNIQUE_VIOLATION = '23505';

/**
 * Turns uploaded bytes into a photo, in SECURITY.md's order: spool with the size cap and probe by
 * content (`admitUpload`), dedupe by SHA-256, extract metadata, move the original into storage,
 * then ONE transaction inserts the row, its tags and album links and enqueues the eager
 * derivative job. Whatever fails, the temp file is removed, an original this call placed is
 * removed again (unless a row references it) and no row remains.
 */
@Injectable()
export class PhotoIngestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly albums: AlbumService,
    @Inject(STORAGE_STRATEGY) private readonly storage: StorageStrategy,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
  ) {}

  /**
   * @throws VitrineError `photo.albums_required` (400), `album.not_found` (404), every `upload.*`
   *   refusal of the probe (400/413/415).
   */
  async ingest(input: IngestInput): Promise<IngestResult> {
    let tempPath: string | undefined = pathOf(input.source);
    try {
      const albumIds = await this.checkAlbums(input.albumIds);
      const { file, image } = await this.admit(input);
      tempPath = file.path;
      const existing = await new PhotoRepository(this.dataSource.manager).findBySha256(file.sha256);
      if (existing) {
        await unlink(file.path).catch(() => undefined);
        tempPath = undefined;
        await this.linkExisting(existing, albumIds);
        return { photo: existing, duplicate: true };
      }
      const metadata = await extractMetadata(file.path);
      // hook: photo.metadata — plugins filter the extracted metadata here (DESIGN.md §5).
      const tags = cleanTags([[metadata.tags], [input.tags ?? []]]);
      const stored = await this.storage.putOriginal(file.path, file.sha256, image.ext);
      tempPath = undefined;
      try {
        const id = await this.dataSource.transaction(async (em) => {
          const repo = new PhotoRepository(em);
          const photoId = await repo.insert({
            title: cleanText(input.title, METADATA_LIMITS.title) ?? metadata.title,
            description: cleanText(input.description, METADATA_LIMITS.description, { multiline: true }) ?? metadata.description,
            originalName: cleanText(basename(input.originalName.replace(/\\/g, '/')), 255) ?? '',
            storageKey: stored.key,
            sha256: file.sha256,
            md5: file.md5,
            mimeType: image.mime,
            fileSize: file.size,
            width: image.width,
            height: image.height,
            orientation: image.orientation,
            status: input.status ?? 'ready',
            addedBy: input.principal.kind === 'user' ? input.principal.userId : null,
            metadata,
          });
          await repo.addTags(photoId, tags);
          for (const albumId of albumIds) await this.albums.linkPhotos(albumId, [photoId], em);
          await this.jobs.enqueue(EAGER_DERIVATIVES_JOB, { photoId }, { em, singletonKey: `photo:${photoId}` });
          return photoId;
        });
        const [photo] = await new PhotoRepository(this.dataSource.manager).summaries([id]);
        return { photo: photo!, duplicate: false };
      } catch (error) {
        if (!isShaConflict(error)) {
          if (stored.created) await this.removeOriginalIfUnreferenced(stored.key);
          throw error;
        }
        // Another request stored the same content between our check and our insert.
        const winner = await new PhotoRepository(this.dataSource.manager).findBySha256(file.sha256);
        if (!winner) throw error;
        await this.linkExisting(winner, albumIds);
        return { photo: winner, duplicate: true };
      }
    } catch (error) {
      if (tempPath) await unlink(tempPath).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Several spooled files with the same albums and fields (one HTTP request): every file is
   * probed **before** any is stored, so a hostile file refuses the whole request and nothing is
   * kept; the refusal names the file (`file[i]`). Then each is ingested in turn.
   */
  async ingestFiles(files: Array<{ spooled: SpooledFile; originalName: string }>, common: Omit<IngestInput, 'source' | 'originalName'>): Promise<IngestResult[]> {
    const admitted: AdmittedUpload[] = [];
    try {
      await this.checkAlbums(common.albumIds);
      for (const [index, file] of files.entries()) {
        try {
          admitted.push({ file: file.spooled, image: await probeImage(file.spooled.path, { maxImagePixels: this.config.maxImagePixels }) });
        } catch (error) {
          if (!(error instanceof VitrineError) || files.length === 1) throw error;
          throw new VitrineError(error.kind, error.code, `File ${index + 1} (of ${files.length}): ${error.message}`, [{ path: `file[${index}]`, message: error.message }], error.extra);
        }
      }
    } catch (error) {
      await Promise.all(files.map((f) => unlink(f.spooled.path).catch(() => undefined)));
      throw error;
    }
    const results: IngestResult[] = [];
    for (const [index, upload] of admitted.entries()) {
      try {
        results.push(await this.ingest({ ...common, source: { admitted: upload }, originalName: files[index]!.originalName }));
      } catch (error) {
        await Promise.all(admitted.slice(index + 1).map((a) => unlink(a.file.path).catch(() => undefined)));
        throw error;
      }
    }
    return results;
  }

  private async checkAlbums(albumIds: number[]): Promise<number[]> {
    const ids = [...new Set(albumIds)];
    if (ids.length === 0 || ids.some((id) => !Number.isSafeInteger(id) || id < 1)) {
      throw Errors.invalid('photo.albums_required', 'Choose at least one album for the photo.', [{ path: 'albumIds', message: 'one or more album ids' }]);
    }
    const found = new Set(await new PhotoRepository(this.dataSource.manager).existingAlbumIds(ids));
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) throw Errors.notFound('album', missing);
    return ids;
  }

  private async admit(input: IngestInput): Promise<{ file: SpooledFile; image: ProbedImage }> {
    const limits = { maxImagePixels: this.config.maxImagePixels };
    const tempDir = tempDirOf(this.config);
    const source = input.source;
    if ('admitted' in source) return source.admitted;
    if ('spooled' in source) {
      try {
        return { file: source.spooled, image: await probeImage(source.spooled.path, limits) };
      } catch (error) {
        await unlink(source.spooled.path).catch(() => undefined);
        throw error;
      }
    }
    if ('stream' in source) return admitUpload(source.stream, { ...limits, tempDir, maxBytes: this.config.maxUploadBytes, signal: input.signal });
    // A file the caller handed over: spool a copy (hashing it) and drop the caller's file.
    try {
      return await admitUpload(createReadStream(source.tempPath), { ...limits, tempDir, maxBytes: this.config.maxUploadBytes, signal: input.signal });
    } finally {
      await unlink(source.tempPath).catch(() => undefined);
    }
  }

  private async linkExisting(photo: PhotoSummary, albumIds: number[]): Promise<void> {
    await this.dataSource.transaction(async (em: EntityManager) => {
      for (const albumId of albumIds) await this.albums.linkPhotos(albumId, [photo.id], em);
    });
  }

  private async removeOriginalIfUnreferenced(key: string): Promise<void> {
    if ((await new PhotoRepository(this.dataSource.manager).countByStorageKey(key)) === 0) {
      await this.storage.removeOriginal(key).catch(() => undefined);
    }
  }
}

function pathOf(source: IngestSource): string | undefined {
  if ('admitted' in source) return source.admitted.file.path;
  if ('spooled' in source) return source.spooled.path;
  if ('tempPath' in source) return source.tempPath;
  return undefined;
}

function isShaConflict(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string; constraint?: string }; constraint?: string };
  const code = e.code ?? e.driverError?.code;
  const constraint = e.constraint ?? e.driverError?.constraint;
  return code === PG_UNIQUE_VIOLATION && (constraint === undefined || constraint === 'photos_sha256_key');
}
