import { createReadStream } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GUEST, type Principal } from '../access/principal.js';
import { AlbumService } from '../albums/album.service.js';
import { VitrineError } from '../common/errors.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { sha256OfFile } from '../media/file-hash.js';
import { IMAGE_FORMATS, sniffFile } from '../media/file-type.sniffer.js';
import { spoolUpload } from '../media/upload-spool.js';
import { PhotoIngestService } from '../photos/photo-ingest.service.js';
import { tempDirOf } from '../photos/photo-paths.js';
import { PhotoRepository } from '../photos/photo.repository.js';
import { scanFolder, type FolderScan, type FolderScanOptions, type ImportItem } from './folder-scan.js';

/** Why an item was not imported. */
export type SkipReason = 'already-imported' | 'not-an-image' | 'too-large' | 'refused';

export type ImportOutcome =
  | { status: 'imported'; item: ImportItem; photoId: number }
  | { status: 'skipped'; item: ImportItem; reason: SkipReason; detail: string; photoId?: number }
  | { status: 'failed'; item: ImportItem; detail: string };

/** Where an import puts its photos: an existing album, or a top-level album found or created by name. */
export type ImportTarget = { albumId: number } | { albumName: string };

export interface ImportRunOptions {
  /** Items imported at the same time (default 2: one per core; probing and hashing overlap I/O). */
  concurrency?: number;
  /** Stops starting new items; items in flight finish (nothing is left half-written). */
  signal?: AbortSignal;
  /** Called after each item, in completion order. */
  onOutcome?: (outcome: ImportOutcome) => void;
  /** Recorded as `added_by` when a user (default: nobody). */
  principal?: Principal;
}

export interface ImportSummary {
  total: number;
  imported: number;
  skipped: Record<SkipReason, number>;
  failed: number;
  /** Items not started because the run was interrupted. */
  notStarted: number;
  /** Every outcome that is not `imported` (for the report). */
  problems: Array<Exclude<ImportOutcome, { status: 'imported' }>>;
  seconds: number;
}

/**
 * The import engine behind `vitrine import` and the bundled `folder-importer` plugin: a **scan**
 * turns a source into {@link ImportItem}s, then {@link importItems} hands each to the core
 * pipeline. Per item: magic-byte sniff (non-images are skipped without copying), SHA-256 of the
 * source — already-imported content is skipped (and linked into the target album, which is
 * idempotent) — then a hashed copy into `DATA_DIR/tmp` and `PhotoIngestService.ingest` (probe,
 * metadata, storage, one transaction, eager derivative job). The source file is only read.
 *
 * Safe to interrupt at any point and run again: a photo is either committed (skipped next time
 * by its hash) or absent; a copy in flight is removed by ingest's own cleanup or, after a crash,
 * by the storage recovery.
 */
@Injectable()
export class FolderImportService {
  private readonly albumCache = new Map<string, Promise<number>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly albums: AlbumService,
    private readonly ingest: PhotoIngestService,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
  ) {}

  /** The folder importer's scan step (see `scanFolder`). */
  scan(root: string, options: FolderScanOptions = {}): Promise<FolderScan> {
    return scanFolder(root, options);
  }

  /** Imports items with bounded concurrency; never throws for one item's failure. */
  async importItems(items: ImportItem[], target: ImportTarget, options: ImportRunOptions = {}): Promise<ImportSummary> {
    const started = Date.now();
    const rootAlbumId = await this.resolveTarget(target);
    const summary: ImportSummary = {
      total: items.length,
      imported: 0,
      skipped: { 'already-imported': 0, 'not-an-image': 0, 'too-large': 0, refused: 0 },
      failed: 0,
      notStarted: 0,
      problems: [],
      seconds: 0,
    };
    let next = 0;
    const worker = async () => {
      while (next < items.length && !options.signal?.aborted) {
        const item = items[next++]!;
        const outcome = await this.importItem(item, rootAlbumId, options.principal ?? GUEST);
        if (outcome.status === 'imported') summary.imported++;
        else {
          if (outcome.status === 'skipped') summary.skipped[outcome.reason]++;
          else summary.failed++;
          summary.problems.push(outcome);
        }
        options.onOutcome?.(outcome);
      }
    };
    const concurrency = Math.max(1, Math.min(options.concurrency ?? 2, 16));
    await Promise.all(Array.from({ length: concurrency }, worker));
    summary.notStarted = items.length - next;
    summary.seconds = (Date.now() - started) / 1000;
    return summary;
  }

  /** One item through the core pipeline. */
  async importItem(item: ImportItem, rootAlbumId: number, principal: Principal = GUEST): Promise<ImportOutcome> {
    try {
      if (item.size > this.config.maxUploadBytes) return { status: 'skipped', item, reason: 'too-large', detail: `larger than ${this.config.maxUploadBytes} bytes` };
      const sniffed = await sniffFile(item.path);
      if (sniffed.kind !== 'image') {
        return { status: 'skipped', item, reason: 'not-an-image', detail: sniffed.kind === 'heic' ? 'HEIC is not supported here' : `detected: ${sniffed.label}` };
      }
      const albumId = await this.albumFor(rootAlbumId, item.albumPath);
      const sha256 = await sha256OfFile(item.path);
      const existing = await new PhotoRepository(this.dataSource.manager).findBySha256(sha256);
      if (existing) {
        await this.albums.linkPhotos(albumId, [existing.id]);
        return { status: 'skipped', item, reason: 'already-imported', detail: `photo ${existing.id}`, photoId: existing.id };
      }
      const spooled = await spoolUpload(createReadStream(item.path), { tempDir: tempDirOf(this.config), maxBytes: this.config.maxUploadBytes });
      const result = await this.ingest.ingest({
        source: { spooled },
        originalName: item.name,
        importSource: 'folder',
        albumIds: [albumId],
        title: item.title,
        description: item.description,
        tags: item.tags,
        principal,
      });
      if (result.duplicate) return { status: 'skipped', item, reason: 'already-imported', detail: `photo ${result.photo.id}`, photoId: result.photo.id };
      return { status: 'imported', item, photoId: result.photo.id };
    } catch (error) {
      if (error instanceof VitrineError && error.code.startsWith('upload.')) {
        const reason: SkipReason =
          error.code === 'upload.not_an_image' || error.code === 'upload.heic_unsupported' ? 'not-an-image' : error.code === 'upload.too_large' ? 'too-large' : 'refused';
        return { status: 'skipped', item, reason, detail: `${error.code}: ${error.message}` };
      }
      return { status: 'failed', item, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  /** The target's album id (found or created for a name). */
  async resolveTarget(target: ImportTarget): Promise<number> {
    if ('albumId' in target) return (await this.albums.get(target.albumId)).id;
    return this.albumFor(null, [target.albumName]);
  }

  /** Finds or creates the album chain `path` below `parentId`; one creation per chain at a time. */
  private albumFor(parentId: number | null, path: string[]): Promise<number> {
    if (path.length === 0) {
      if (parentId === null) throw new VitrineError('invalid', 'import.album_required', 'An import needs a target album.');
      return Promise.resolve(parentId);
    }
    const key = `${parentId ?? 0}/${path.join('\u0000')}`;
    let pending = this.albumCache.get(key);
    if (!pending) {
      pending = (async () => {
        const parent = path.length === 1 ? parentId : await this.albumFor(parentId, path.slice(0, -1));
        const name = path[path.length - 1]!.trim().slice(0, 255) || 'Untitled';
        const rows: { id: number }[] = await this.dataSource.query(
          `SELECT id FROM albums WHERE parent_id IS NOT DISTINCT FROM $1 AND name = $2 ORDER BY id LIMIT 1`,
          [parent, name],
        );
        if (rows[0]) return rows[0].id;
        return (await this.albums.create({ name, parentId: parent })).id;
      })();
      pending.catch(() => this.albumCache.delete(key));
      this.albumCache.set(key, pending);
    }
    return pending;
  }
}

/** Formats accepted by content (for help texts). */
export const IMPORTABLE_FORMATS = Object.values(IMAGE_FORMATS).map((f) => f.label);
