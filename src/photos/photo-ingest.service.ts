import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { DataSource, type EntityManager } from 'typeorm';
import { GUEST, type Principal } from '../access/principal.js';
import { AlbumService } from '../albums/album.service.js';
import { Errors, VitrineError } from '../common/errors.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { JOB_QUEUE, type JobQueue } from '../jobs/job-queue.js';
import { AfterCommitQueue } from '../hooks/hook-after-commit.js';
import { currentHookContext } from '../hooks/hook-context.js';
import { HookRegistry } from '../hooks/hook.registry.js';
import type { ImportCandidate, PhotoMetadata } from '../hooks/hook-payloads.js';
import { MetadataFieldCatalog } from '../plugin-host/plugin-metadata.js';
import { photoRef, PHOTO_REF_COLUMNS } from '../hooks/hook-refs.js';
import { probeImage, type ProbedImage } from '../media/image-probe.js';
import { ImageSizeRegistry, type ImageSize } from '../media/image-size.registry.js';
import { STORAGE_STRATEGY, type StorageStrategy } from '../media/storage.strategy.js';
import { admitUpload, type AdmittedUpload } from '../media/upload-admission.js';
import type { SpooledFile } from '../media/upload-spool.js';
import { extractMetadata } from '../metadata/metadata.extractor.js';
import { METADATA_LIMITS } from '../metadata/metadata.model.js';
import { cleanTags, cleanText } from '../metadata/metadata.sanitizer.js';
import type { PhotoStatus } from './photo.entity.js';
import { PhotoRepository, type PhotoSummary } from './photo.repository.js';
import { clearIntent, writeIntent } from './ingest-intent.js';
import { tempDirOf } from './photo-paths.js';
import { fileFacts, fromHookMetadata, toHookMetadata } from './photo-ingest.mapping.js';
import { EagerDerivativesWriter, queueEagerDerivatives } from './eager-derivatives.writer.js';

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
  /** Where the file comes from, for `photo.beforeImport`: `upload` (default), `ws`, `folder`, an importer id. */
  importSource?: string;
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
 * then ONE transaction inserts the row, its tags and album links, and after the commit the eager
 * sizes encoded from the probe's decode are written (without that decode, the transaction
 * enqueues the eager derivative job instead). Whatever fails, the temp file is removed, an
 * original this call placed is removed again (unless a row references it) and no row remains.
 */
@Injectable()
export class PhotoIngestService {
  private readonly eagerWriter: EagerDerivativesWriter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly albums: AlbumService,
    @Inject(STORAGE_STRATEGY) private readonly storage: StorageStrategy,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
    @Optional() private readonly hooks: HookRegistry = new HookRegistry(),
    @Optional() private readonly fields: MetadataFieldCatalog = new MetadataFieldCatalog(),
    @Optional() @Inject(LOGGER) private readonly logger?: Logger,
    @Optional() private readonly sizes?: ImageSizeRegistry,
  ) {
    this.eagerWriter = new EagerDerivativesWriter({ dataSource, storage, jobs, maxImagePixels: config.maxImagePixels, sizes, logger });
  }

  /**
   * @throws VitrineError `photo.albums_required` (400), `album.not_found` (404), every `upload.*`
   *   refusal of the probe (400/413/415).
   */
  async ingest(input: IngestInput): Promise<IngestResult> {
    return this.ingestOne(input, false);
  }

  /** {@link ingest}; `albumsChecked` when {@link ingestFiles} checked them for this request already. */
  private async ingestOne(input: IngestInput, albumsChecked: boolean): Promise<IngestResult> {
    let tempPath: string | undefined = pathOf(input.source);
    let intent: string | undefined;
    let keepIntent = false;
    try {
      // An album deleted since the check makes linkPhotos fail inside the transaction (nothing kept).
      let albumIds = albumsChecked ? [...new Set(input.albumIds)] : await this.checkAlbums(input.albumIds);
      const { file, image } = await this.admit(input);
      tempPath = file.path;
      const ctx = currentHookContext();
      const sourceFile = { path: file.path, originalName: input.originalName, mimeType: image.mime, size: file.size, sha256: file.sha256 };
      const initial: ImportCandidate = { file: sourceFile, source: input.importSource ?? 'upload', albumId: albumIds[0]!, title: input.title ?? null, privacyLevel: 0 };
      // hook: photo.beforeImport — plugins may change the candidate or refuse it (HookRejection → 400).
      const candidate = await this.hooks.applyFilter('photo.beforeImport', initial, ctx);
      if (candidate.albumId !== initial.albumId && candidate.albumId !== null) {
        albumIds = [...new Set([await this.checkAlbums([candidate.albumId]).then((ids) => ids[0]!), ...albumIds.slice(1)])];
      }
      const existing = await new PhotoRepository(this.dataSource.manager).findBySha256(file.sha256);
      if (existing) {
        await unlink(file.path).catch(() => undefined);
        tempPath = undefined;
        await this.linkExisting(existing, albumIds);
        return { photo: existing, duplicate: true };
      }
      // The eager sizes are encoded (sharp's threads) while metadata, storage and the transaction
      // run; they are written once the commit gave the photo its id (folder). The blur
      // placeholder (tiny) is ready first and goes into the row itself.
      const eager = this.eagerWriter.start(image);
      const extracted = await extractMetadata(file.path);
      // hook: photo.metadata — plugins correct core fields or add their own (validated, stored in plugin_data).
      const filtered = await this.hooks.applyFilter('photo.metadata', toHookMetadata(extracted), sourceFile, ctx);
      const metadata = fromHookMetadata(extracted, filtered);
      const pluginData = this.pluginData(filtered.plugins);
      const tags = cleanTags([[metadata.tags], [input.tags ?? []]]);
      // A crash between the move and the commit leaves an original without a row, one after the
      // commit a photo without its eager sizes: the intent lets the storage recovery find either
      // (src/photos/ingest-intent.ts, storage-recovery.service.ts).
      const blurPlaceholder = (await eager?.placeholder) ?? null;
      intent = await writeIntent(tempDirOf(this.config), file.sha256, image.ext);
      const stored = await this.storage.putOriginal(file.path, file.sha256, image.ext);
      tempPath = undefined;
      try {
        const inserted = await this.dataSource.transaction(async (em) => {
          const repo = new PhotoRepository(em);
          const row = await repo.insert({
            title: cleanText(candidate.title, METADATA_LIMITS.title) ?? metadata.title,
            description: cleanText(input.description, METADATA_LIMITS.description, { multiline: true }) ?? metadata.description,
            ...fileFacts({ file, image }, input.originalName),
            storageKey: stored.key,
            status: input.status ?? 'ready',
            addedBy: input.principal.kind === 'user' ? input.principal.userId : null,
            metadata,
            blurPlaceholder,
          });
          const photoId = row.id;
          if (candidate.privacyLevel !== 0 || Object.keys(pluginData).length > 0) {
            await em.query(`UPDATE photos SET privacy_level = $2, plugin_data = $3::jsonb WHERE id = $1`, [photoId, candidate.privacyLevel, JSON.stringify(pluginData)]);
          }
          await repo.addTags(photoId, tags);
          await this.albums.linkNewPhoto(albumIds, photoId, em);
          // Without the probe's decode to encode from, the job builds the eager sizes.
          if (!eager) await queueEagerDerivatives(this.jobs, photoId, em);
          return row;
        });
        const id = inserted.id;
        // The eager sizes from the probe's decode. The intent stays until they are on disk: if the
        // process dies first, the storage recovery queues the job for this photo at the next start.
        if (eager && !(await this.eagerWriter.writeNew(id, eager))) keepIntent = true;
        await this.fireImported(id, ctx);
        return { photo: inserted, duplicate: false };
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
    } finally {
      if (intent && !keepIntent) await clearIntent(intent);
    }
  }

  /**
   * Replaces the file of an existing photo (Piwigo's `image_id` on pwg.images.addSimple, darktable's
   * "overwrite" mode), through the same checks as {@link ingest}: probe, metadata, storage. The
   * photo keeps its id, albums, title, description, tags and privacy; its file facts and the
   * metadata read from the file are replaced, its derivatives are removed and rebuilt, and the old
   * original is removed once no row references it. Identical content is a no-op.
   * @throws VitrineError `photo.not_found` (404), `photo.duplicate_file` (409) when another photo
   *   already holds these bytes, every `upload.*` refusal of the probe.
   */
  async replaceFile(photoId: number, source: IngestSource, originalName: string, signal?: AbortSignal): Promise<{ replaced: boolean }> {
    let tempPath: string | undefined = pathOf(source);
    try {
      const current = await new PhotoRepository(this.dataSource.manager).fileRow(photoId);
      if (!current) throw Errors.notFound('photo', photoId);
      const { file, image } = await this.admit({ source, originalName, albumIds: [], principal: GUEST, signal });
      tempPath = file.path;
      if (current.sha256?.trim() === file.sha256) {
        await unlink(file.path).catch(() => undefined);
        return { replaced: false };
      }
      const holder = await new PhotoRepository(this.dataSource.manager).findBySha256(file.sha256);
      if (holder) throw new VitrineError('conflict', 'photo.duplicate_file', `These bytes are already stored as photo ${holder.id}.`);
      const metadata = await extractMetadata(file.path);
      // hook: photo.metadata — plugins filter the extracted metadata here (DESIGN.md §5).
      const stored = await this.storage.putOriginal(file.path, file.sha256, image.ext);
      tempPath = undefined;
      try {
        await this.dataSource.transaction(async (em) => {
          await new PhotoRepository(em).replaceFile(photoId, {
            ...fileFacts({ file, image }, originalName),
            storageKey: stored.key,
            metadata,
          });
        });
      } catch (error) {
        if (stored.created) await this.removeOriginalIfUnreferenced(stored.key);
        throw error;
      }
      await this.storage.removeDerivatives(photoId);
      // Rebuilt from the probe's decode at once; the job when there is none or the write failed.
      const eager = this.eagerWriter.start(image);
      if (eager) await this.eagerWriter.writeReplaced(photoId, eager);
      else await queueEagerDerivatives(this.jobs, photoId);
      if (current.storage_key) await this.removeOriginalIfUnreferenced(current.storage_key);
      return { replaced: true };
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
          admitted.push({ file: file.spooled, image: await probeImage(file.spooled.path, this.probeLimits()) });
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
        results.push(await this.ingestOne({ ...common, source: { admitted: upload }, originalName: files[index]!.originalName }, true));
      } catch (error) {
        await Promise.all(admitted.slice(index + 1).map((a) => unlink(a.file.path).catch(() => undefined)));
        throw error;
      }
    }
    return results;
  }

  /**
   * The distinct album ids, after checking there is at least one and each exists (callers that
   * accept an upload in several requests, such as tus, check before the bytes arrive).
   * @throws VitrineError `photo.albums_required` (400), `album.not_found` (404)
   */
  async checkAlbums(albumIds: number[]): Promise<number[]> {
    const ids = [...new Set(albumIds)];
    if (ids.length === 0 || ids.some((id) => !Number.isSafeInteger(id) || id < 1)) {
      throw Errors.invalid('photo.albums_required', 'Choose at least one album for the photo.', [{ path: 'albumIds', message: 'one or more album ids' }]);
    }
    const found = new Set(await new PhotoRepository(this.dataSource.manager).existingAlbumIds(ids));
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) throw Errors.notFound('album', missing);
    return ids;
  }

  /** Validated plugin metadata from `photo.metadata`: declared fields only, namespaced by plugin. */
  private pluginData(plugins: PhotoMetadata['plugins']): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [plugin, values] of Object.entries(plugins ?? {})) {
      if (!values || typeof values !== 'object' || Object.keys(values).length === 0) continue;
      const clean: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        try {
          const checked = this.fields.validatePatch({ [key]: value }, plugin).get(plugin)?.[key];
          if (checked !== null && checked !== undefined) clean[key] = checked;
        } catch (error) {
          // A plugin's bad value must not refuse the upload: drop it and say which plugin sent it.
          this.logger?.warn({ plugin, hook: 'photo.metadata', key, err: error }, `Plugin "${plugin}" set an invalid metadata value; it was dropped.`);
        }
      }
      if (Object.keys(clean).length) out[plugin] = clean;
    }
    return out;
  }

  /** `photo.imported`, after the commit (handler errors are logged with the plugin, never thrown). */
  private async fireImported(id: number, ctx: ReturnType<typeof currentHookContext>): Promise<void> {
    if (this.hooks.subscriptions('photo.imported').length === 0) return;
    const rows = await this.dataSource.query(`SELECT ${PHOTO_REF_COLUMNS} FROM photos p WHERE p.id = $1`, [id]);
    const queue = new AfterCommitQueue(this.hooks);
    // hook: photo.imported
    queue.add('photo.imported', photoRef(rows[0]), ctx);
    await queue.flush();
  }

  private async admit(input: IngestInput): Promise<{ file: SpooledFile; image: ProbedImage }> {
    const limits = this.probeLimits();
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

  /** The probe's verifying decode doubles as the eager sizes' decode (src/media/image-probe.ts `decodeFor`). */
  private probeLimits(): { maxImagePixels: number; decodeFor?: ImageSize[] } {
    return { maxImagePixels: this.config.maxImagePixels, decodeFor: this.sizes?.eager() };
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
