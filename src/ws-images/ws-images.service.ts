import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../access/principal.js';
import { AlbumService } from '../albums/album.service.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { JOB_QUEUE, type JobQueue } from '../jobs/job-queue.js';
import { METADATA_LIMITS } from '../metadata/metadata.model.js';
import { cleanTags, cleanText } from '../metadata/metadata.sanitizer.js';
import { PhotoIngestService, type IngestSource } from '../photos/photo-ingest.service.js';
import { PhotoRepository } from '../photos/photo.repository.js';
import { PhotoService } from '../photos/photo.service.js';
import { WsError } from '../piwigo/ws-error.js';
import { WsImagesRepository, type LoungeRow, type WsPhotoInfo, type WsPhotoRow } from './ws-images.repository.js';

/** Job that empties the lounge once its oldest photo waited `LOUNGE_MAX_DURATION_MS` (Piwigo's `lounge_max_duration`). */
export const LOUNGE_EXPIRY_JOB = 'ws.lounge-expiry';
/** `$conf['lounge_max_duration']` = 300 s. */
export const LOUNGE_MAX_DURATION_MS = 300_000;

/** A file part already spooled and hashed by the ws.php multipart reader. */
export interface WsSpooledPart {
  path: string;
  size: number;
  sha256: string;
  md5: string;
}

/** The info fields a client may send with an upload or through setInfo (already parsed). */
export interface WsInfoInput {
  name?: string | null;
  author?: string | null;
  comment?: string | null;
  level?: number;
  dateCreation?: Date | null;
  file?: string;
}

/** What an upload turned into: a new photo, or (Piwigo's duplicate detection) an existing one. */
export interface WsUploadOutcome {
  id: number;
  duplicate: boolean;
}

/**
 * The rules behind the pwg.images.* methods, over the same services as the REST API: every upload
 * goes through {@link PhotoIngestService} (content checks, SHA-256 dedupe, metadata, storage, eager
 * derivatives) with status `lounge`, and the lounge is emptied by uploadCompleted, emptyLounge or
 * the expiry job, as in Piwigo.
 */
@Injectable()
export class WsImagesService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ingestService: PhotoIngestService,
    private readonly albums: AlbumService,
    private readonly photos: PhotoService,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(LOUNGE_EXPIRY_JOB, async () => {
      await this.expireLounge();
    });
  }

  private get repo(): WsImagesRepository {
    return new WsImagesRepository(this.dataSource.manager);
  }

  /**
   * Ingests a complete file (a temp file this service now owns) into `albumIds`, in the lounge, then
   * applies the info fields and tags, to the new photo or, for a duplicate, to the existing one
   * (Piwigo's `upload_detect_duplicate` path).
   */
  async ingest(upload: string | WsSpooledPart, originalName: string, albumIds: number[], principal: Principal, info: WsInfoInput, tags: string[]): Promise<WsUploadOutcome> {
    const tempPath = typeof upload === 'string' ? upload : upload.path;
    if (albumIds.length) await this.requireAlbums(albumIds, tempPath);
    // A part the multipart reader already hashed is moved into storage as is; other files are re-spooled (hashed) first.
    const source: IngestSource = typeof upload === 'string' ? { tempPath } : { spooled: upload };
    const { photo, duplicate } = await this.ingestService.ingest({
      source,
      originalName,
      albumIds,
      title: info.name ?? null,
      description: info.comment ?? null,
      tags,
      principal,
      status: 'lounge',
      importSource: 'ws',
    });
    // New photo: ingest wrote title/description; without either, Piwigo names it after the file.
    const columns = duplicate
      ? this.columnsOf(info, 'replace', undefined)
      : this.columnsOf({ ...info, name: info.name || photo.title ? undefined : nameFromFile(originalName), comment: undefined }, 'replace', undefined);
    await this.dataSource.transaction(async (em) => {
      await new WsImagesRepository(em).updateInfo(photo.id, columns);
      if (duplicate && tags.length) await new PhotoRepository(em).addTags(photo.id, tags);
    });
    if (!duplicate) await this.scheduleLoungeExpiry();
    return { id: photo.id, duplicate };
  }

  /**
   * Replaces the file of photo `id` (addSimple with `image_id`: darktable's "overwrite"), then
   * applies the info, albums and tags like an upload does.
   * @throws WsError 404 'image_id not found'
   */
  async replace(id: number, upload: string | WsSpooledPart, originalName: string, albumIds: number[], info: WsInfoInput, tags: string[]): Promise<void> {
    const tempPath = typeof upload === 'string' ? upload : upload.path;
    if (!(await this.repo.find(id))) {
      await import('node:fs/promises').then((fs) => fs.unlink(tempPath)).catch(() => undefined);
      throw new WsError(404, 'image_id not found');
    }
    if (albumIds.length) await this.requireAlbums(albumIds, tempPath);
    await this.ingestService.replaceFile(id, typeof upload === 'string' ? { tempPath } : { spooled: upload }, originalName);
    await this.setInfo(id, info, { singleValueMode: 'replace', multipleValueMode: 'append', albums: albumIds });
    if (tags.length) await this.dataSource.transaction((em) => new PhotoRepository(em).addTags(id, tags));
  }

  async find(id: number): Promise<WsPhotoRow | undefined> {
    return this.repo.find(id);
  }

  albumIdsOf(id: number): Promise<number[]> {
    return this.repo.albumIdsOf(id);
  }

  tagsOf(id: number): Promise<Array<{ id: number; name: string; slug: string; created_at: Date }>> {
    return this.repo.tagsOf(id);
  }

  /** @throws WsError 404 'image_id not found' */
  async require(id: number): Promise<WsPhotoRow> {
    const row = await this.repo.find(id);
    if (!row) throw new WsError(404, 'image_id not found');
    return row;
  }

  /** `pwg.images.exist`: md5 (or file name) → id as a string, or null. */
  async exist(mode: 'md5sum' | 'filename', values: string[]): Promise<Map<string, string | null>> {
    const found = mode === 'md5sum' ? await this.repo.idsByMd5(values) : await this.repo.idsByFilename(values);
    return new Map(values.map((v) => [v, found.has(v) ? String(found.get(v)) : null]));
  }

  /** `pwg.images.setInfo` (and the info part of uploads on an existing photo). */
  async setInfo(
    id: number,
    info: WsInfoInput,
    options: { singleValueMode: 'fill_if_empty' | 'replace'; multipleValueMode: 'append' | 'replace'; albums?: number[]; tagIds?: number[] },
  ): Promise<void> {
    const row = await this.require(id);
    if (options.albums) await this.requireAlbums(options.albums);
    await this.dataSource.transaction(async (em) => {
      const repo = new WsImagesRepository(em);
      await repo.updateInfo(id, this.columnsOf(info, options.singleValueMode, row));
      if (options.albums) {
        const current = await repo.albumIdsOf(id);
        for (const albumId of options.albums) await this.albums.linkPhotos(albumId, [id], em);
        if (options.multipleValueMode === 'replace') {
          for (const albumId of current.filter((a) => !options.albums!.includes(a))) await this.albums.unlinkPhotos(albumId, [id], em);
        }
      }
      if (options.tagIds) await repo.setTagIds(id, options.tagIds, options.multipleValueMode === 'replace');
    });
  }

  /** `pwg.images.setCategory`. @throws WsError 404 for an unknown album or photo. */
  async setCategory(imageIds: number[], albumId: number, action: 'associate' | 'dissociate' | 'move'): Promise<void> {
    if (!(await this.repo.existingAlbumIds([albumId])).length) throw new WsError(404, 'category_id not found');
    const existing = await this.repo.existingIds(imageIds);
    if (existing.length !== new Set(imageIds).size) throw new WsError(404, 'image_id not found');
    await this.dataSource.transaction(async (em) => {
      const repo = new WsImagesRepository(em);
      if (action === 'associate') {
        await this.albums.linkPhotos(albumId, existing, em);
        return;
      }
      if (action === 'dissociate') {
        await this.albums.unlinkPhotos(albumId, existing, em);
        return;
      }
      await this.albums.linkPhotos(albumId, existing, em);
      for (const photoId of existing) {
        for (const other of (await repo.albumIdsOf(photoId)).filter((a) => a !== albumId)) await this.albums.unlinkPhotos(other, [photoId], em);
      }
    });
  }

  /** `pwg.images.delete`: returns how many photos were deleted. */
  async delete(ids: number[]): Promise<number> {
    return (await this.photos.delete(ids)).length;
  }

  /** Piwigo's `empty_lounge()`: every lounge photo becomes visible; returns the (photo, album) rows moved. */
  async emptyLounge(): Promise<LoungeRow[]> {
    return this.dataSource.transaction(async (em) => {
      const repo = new WsImagesRepository(em);
      const rows = await repo.loungeRows();
      const ids = await repo.leaveLounge();
      return rows.filter((r) => ids.includes(r.image_id));
    });
  }

  /** The expiry job: empties the lounge when its oldest photo waited long enough, else re-arms. */
  async expireLounge(now = new Date()): Promise<number> {
    const oldest = await this.repo.oldestLoungeDate();
    if (!oldest) return 0;
    if (now.getTime() - new Date(oldest).getTime() >= LOUNGE_MAX_DURATION_MS) return (await this.emptyLounge()).length;
    await this.scheduleLoungeExpiry(new Date(new Date(oldest).getTime() + LOUNGE_MAX_DURATION_MS));
    return 0;
  }

  /** `{ id, nb_photos, label }` of an album: its path `A / B / C` and its photo count (lounge included). */
  async albumSummary(albumId: number): Promise<{ id: number; nbPhotos: number; label: string }> {
    const album = await this.albums.get(albumId);
    const ancestors = await this.albums.ancestors(albumId);
    const label = [...ancestors, album].map((a) => a.name).join(' / ');
    return { id: albumId, nbPhotos: await this.repo.albumPhotoCount(albumId), label };
  }

  private async scheduleLoungeExpiry(at = new Date(Date.now() + LOUNGE_MAX_DURATION_MS)): Promise<void> {
    await this.jobs.enqueue(LOUNGE_EXPIRY_JOB, {}, { singletonKey: 'lounge', runAfter: at });
  }

  private async requireAlbums(ids: number[], tempPath?: string): Promise<void> {
    const found = new Set(await this.repo.existingAlbumIds(ids));
    const missing = ids.find((id) => !found.has(id));
    if (missing === undefined) return;
    if (tempPath) await import('node:fs/promises').then((fs) => fs.unlink(tempPath)).catch(() => undefined);
    throw new WsError(404, `category_id ${missing} not found`);
  }

  /** Columns to write: `fill_if_empty` writes only columns that are empty now, as Piwigo does. */
  private columnsOf(info: WsInfoInput, mode: 'fill_if_empty' | 'replace', row: WsPhotoRow | undefined): WsPhotoInfo {
    const out: WsPhotoInfo = {};
    const put = <K extends keyof WsPhotoInfo>(key: K, value: WsPhotoInfo[K] | undefined, current: unknown) => {
      if (value === undefined) return;
      if (mode === 'fill_if_empty' && row && current !== null && current !== '' && current !== undefined) return;
      out[key] = value;
    };
    put('title', info.name === undefined ? undefined : cleanText(info.name, METADATA_LIMITS.title), row?.title);
    put('author', info.author === undefined ? undefined : cleanText(info.author, 255), row?.author);
    put('description', info.comment === undefined ? undefined : cleanText(info.comment, METADATA_LIMITS.description, { multiline: true }), row?.description);
    put('taken_at', info.dateCreation, row?.taken_at);
    if (info.level !== undefined) out.privacy_level = info.level;
    if (info.file !== undefined) {
      const file = cleanText(info.file, 255);
      if (file) out.original_name = file;
    }
    return out;
  }

  /** Tag names from Piwigo's `tags` param: comma separated, `\,` escapes a comma. */
  static splitTagNames(value: string | readonly unknown[] | null | undefined): string[] {
    const parts: string[] = [];
    const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
    for (const item of items) {
      for (const piece of item.split(/(?<!\\),/)) parts.push(piece.replace(/\\,/g, ',').trim());
    }
    return cleanTags([[parts]]);
  }

  get uploadLimitBytes(): number {
    return this.config.maxUploadBytes;
  }
}

/** Piwigo's `get_name_from_file`: the file name without its extension, `_` read as a space. */
export function nameFromFile(filename: string): string {
  const base = filename.replace(/\\/g, '/').split('/').pop() ?? '';
  return base.replace(/\.[^.]*$/, '').replace(/_/g, ' ');
}
