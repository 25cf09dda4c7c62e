import { stat } from 'node:fs/promises';
import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { currentHookContext } from '../hooks/hook-context.js';
import { photoRef, PHOTO_REF_COLUMNS } from '../hooks/hook-refs.js';
import { HookRegistry } from '../hooks/hook.registry.js';
import type { PhotoRef } from '../hooks/hook-payloads.js';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { AlbumService, type PhotoRemovalListener } from '../albums/album.service.js';
import { LOGGER } from '../common/logger.js';
import { JOB_QUEUE, type JobQueue } from '../jobs/job-queue.js';
import { STORAGE_STRATEGY, type StorageStrategy } from '../media/storage.strategy.js';
import { PhotoRepository, type PhotoFileRow } from './photo.repository.js';

/** Job that removes the files of photos deleted together with an album. */
export const FILES_CLEANUP_JOB = 'photos.files-cleanup';
/** How old an unreferenced original must be before a sweep removes it. */
export const SWEEP_GRACE_MS = 10 * 60 * 1000;

/**
 * Photo lifecycle rules beyond ingest. Deletion removes rows in one transaction (album counts
 * kept exact through AlbumService), and files only **after** the commit, so a rollback never
 * leaves a row pointing at a deleted file. It is also the album service's removal listener, so
 * deleting an album with its photos removes their files too.
 */
@Injectable()
export class PhotoService implements OnModuleInit, PhotoRemovalListener {
  constructor(
    private readonly dataSource: DataSource,
    private readonly albums: AlbumService,
    @Inject(STORAGE_STRATEGY) private readonly storage: StorageStrategy,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() private readonly hooks: HookRegistry = new HookRegistry(),
  ) {}

  onModuleInit(): void {
    this.albums.setPhotoRemovalListener(this);
    this.jobs.work<{ photoIds: number[] }>(FILES_CLEANUP_JOB, (job) => this.cleanupAfterDelete(job.payload.photoIds.map(Number)));
  }

  /** Deletes photos (unknown ids are ignored); returns the ids deleted. */
  async delete(ids: number[]): Promise<number[]> {
    const unique = [...new Set(ids)].filter((id) => Number.isSafeInteger(id) && id > 0);
    if (!unique.length) return [];
    const watched = this.hooks.subscriptions('photo.deleted').length > 0;
    const snapshots: PhotoRef[] = [];
    const deleted = await this.dataSource.transaction(async (em) => {
      const repo = new PhotoRepository(em);
      if (watched) snapshots.push(...(await em.query(`SELECT ${PHOTO_REF_COLUMNS} FROM photos p WHERE p.id = ANY($1::int[])`, [unique])).map(photoRef));
      const links = await repo.albumIdsOf(unique);
      const byAlbum = new Map<number, number[]>();
      for (const l of links) byAlbum.set(l.album_id, [...(byAlbum.get(l.album_id) ?? []), l.photo_id]);
      for (const [albumId, photoIds] of byAlbum) await this.albums.unlinkPhotos(albumId, photoIds, em);
      return repo.delete(unique);
    });
    await this.removeFiles(deleted);
    const gone = new Set(deleted.map((r) => r.id));
    const ctx = currentHookContext();
    // hook: photo.deleted — after the commit, with a snapshot taken before the rows went.
    for (const photo of snapshots) if (gone.has(photo.id)) await this.hooks.doAction('photo.deleted', photo, ctx);
    return deleted.map((r) => r.id);
  }

  /**
   * Called by AlbumService inside its transaction, after the rows are gone (so their storage keys
   * are unknown). A cleanup job is enqueued through the same transaction: it exists iff the
   * deletion commits, runs after the commit, and survives a restart.
   */
  async photosRemoved(photoIds: number[], em: EntityManager): Promise<void> {
    await this.jobs.enqueue(FILES_CLEANUP_JOB, { photoIds }, { em });
  }

  /**
   * The cleanup job: derivatives of the deleted ids, then originals no row references. Originals
   * younger than the grace period are left for a follow-up sweep (an ingest in flight may have
   * placed one without having committed its row yet).
   */
  async cleanupAfterDelete(photoIds: number[]): Promise<void> {
    const still = new Set((await new PhotoRepository(this.dataSource.manager).summaries(photoIds)).map((p) => p.id));
    for (const id of photoIds) if (!still.has(id)) await this.storage.removeDerivatives(id);
    const { deferred } = await this.sweepOriginals(SWEEP_GRACE_MS);
    if (deferred > 0) {
      await this.jobs.enqueue(FILES_CLEANUP_JOB, { photoIds: [] }, { singletonKey: 'sweep', runAfter: new Date(Date.now() + SWEEP_GRACE_MS) });
    }
  }

  /**
   * Removes originals that no photo row references. Files younger than `graceMs` are skipped and
   * counted as `deferred`: an ingest in flight has placed its original but not committed its row.
   */
  async sweepOriginals(graceMs = SWEEP_GRACE_MS): Promise<{ removed: number; deferred: number }> {
    let removed = 0;
    let deferred = 0;
    let batch: string[] = [];
    const flush = async () => {
      const referenced = new Set(await new PhotoRepository(this.dataSource.manager).referencedKeys(batch));
      for (const key of batch) {
        if (referenced.has(key)) continue;
        const info = await stat(this.storage.originalPath(key)).catch(() => undefined);
        if (!info) continue;
        if (Date.now() - info.mtimeMs < graceMs) {
          deferred++;
          continue;
        }
        await this.storage.removeOriginal(key);
        removed++;
      }
      batch = [];
    };
    for await (const entry of this.storage.listOriginals()) {
      batch.push(entry.key);
      if (batch.length >= 500) await flush();
    }
    if (batch.length) await flush();
    return { removed, deferred };
  }

  private async removeFiles(rows: PhotoFileRow[]): Promise<void> {
    for (const row of rows) {
      await this.storage.removeDerivatives(row.id).catch((e: unknown) => this.warn(e, row.id));
      if (row.storage_key && (await new PhotoRepository(this.dataSource.manager).countByStorageKey(row.storage_key)) === 0) {
        await this.storage.removeOriginal(row.storage_key).catch((e: unknown) => this.warn(e, row.id));
      }
    }
  }

  private warn(error: unknown, photoId: number): void {
    this.logger.warn({ err: error, photoId }, 'photo files could not be removed');
  }
}
