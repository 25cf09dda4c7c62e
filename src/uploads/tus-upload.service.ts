import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { Principal } from '../access/principal.js';
import { VitrineError } from '../common/errors.js';
import { LOGGER } from '../common/logger.js';
import { toProblem, type ProblemDetails } from '../common/problem.filter.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { hashFile } from '../media/file-hash.js';
import { ImageSizeRegistry } from '../media/image-size.registry.js';
import { PhotoIngestService } from '../photos/photo-ingest.service.js';
import { PhotoRepository } from '../photos/photo.repository.js';
import { photoView, type PhotoView } from '../photos/photo.view.js';
import { OWNER_KEY, type TusUploadFields } from './tus-metadata.js';

/** Mount point of the tus endpoint. */
export const TUS_PATH = '/api/v1/uploads/tus';
/** Unfinished uploads (and the results of finished ones) are removed this long after creation. */
export const TUS_EXPIRY_MS = 24 * 60 * 60 * 1000;
const CLEANUP_EVERY_MS = 60 * 60 * 1000;
/** tus ids are FileStore's default: 16 random bytes in hex. */
export const TUS_ID = /^[0-9a-f]{32}$/;

/** What the controller hands to the tus hooks for one request (attached to the node request). */
export interface TusRequestContext {
  principal: Principal;
  /** Checked by the controller before creation and again at completion. */
  mayUploadTo(albumId: number): boolean;
  /** Validated metadata of a creation request. */
  fields?: TusUploadFields;
}

const CONTEXT = Symbol('vitrine.tusContext');
type WithContext = IncomingMessage & { [CONTEXT]?: TusRequestContext };

/** The state of one upload, as `GET /api/v1/uploads/tus/:id` answers it. */
export interface TusUploadStatus {
  id: string;
  /** `uploading` (bytes missing), `processing` (ingest running), `completed`, `failed`. */
  state: 'uploading' | 'processing' | 'completed' | 'failed';
  offset: number;
  size: number | null;
  /** When an unfinished upload (or this status) is removed. */
  expiresAt: string;
  /** Set when `completed`: the photo (an existing one when `photo.duplicate`). */
  photo?: PhotoView;
  /** Set when `failed`: the same problem+json the finishing request got. */
  problem?: ProblemDetails;
}

interface StoredResult {
  state: 'processing' | 'completed' | 'failed';
  sha256?: string;
  photo?: PhotoView;
  problem?: ProblemDetails;
}

interface UploadInfo {
  id: string;
  size?: number;
  metadata?: Record<string, string | null>;
  creation_date?: string;
}

/**
 * Resumable uploads with the tus 1.0 protocol (@tus/server, @tus/file-store). Bytes go to
 * `DATA_DIR/uploads/tus/<id>` (with `<id>.json`, tus's own record), so an upload survives a
 * dropped connection and a restart: the client asks `HEAD` for the offset and continues. When
 * the last byte arrives the file is hashed and handed to {@link PhotoIngestService} as is (same
 * probe, dedupe, storage, metadata, eager derivative job); the outcome is kept in
 * `DATA_DIR/uploads/results/<id>.json` for `GET`. Each upload belongs to the user who created it;
 * everyone else gets 404. Uploads older than {@link TUS_EXPIRY_MS} are removed hourly.
 */
@Injectable()
export class TusUploadService implements OnModuleInit, OnModuleDestroy {
  readonly directory: string;
  readonly resultsDirectory: string;
  private readonly server: Server;
  private readonly store: FileStore;
  private readonly running = new Map<string, Promise<StoredResult>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(VITRINE_CONFIG) config: VitrineConfig,
    private readonly dataSource: DataSource,
    private readonly ingest: PhotoIngestService,
    private readonly sizes: ImageSizeRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.directory = join(config.dataDir, 'uploads', 'tus');
    this.resultsDirectory = join(config.dataDir, 'uploads', 'results');
    this.store = new FileStore({ directory: this.directory, expirationPeriodInMilliseconds: TUS_EXPIRY_MS });
    this.server = new Server({
      path: TUS_PATH,
      datastore: this.store,
      maxSize: config.maxUploadBytes,
      relativeLocation: true,
      // Same-origin only: no Access-Control-Allow-Origin at all.
      allowedOrigins: () => false,
      onUploadCreate: async (req, upload) => this.onCreate(contextOf(req), upload),
      onUploadFinish: async (req, upload) => this.onFinish(contextOf(req), upload),
      onResponseError: (_req, error) => {
        if ('status_code' in error) return undefined;
        this.logger.error({ err: error }, 'tus upload failed');
        return { status_code: 500, body: 'Internal error\n' };
      },
    });
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await mkdir(this.resultsDirectory, { recursive: true, mode: 0o700 });
    await this.removeExpired().catch((err: unknown) => this.logger.warn({ err }, 'tus: cleanup failed'));
    this.timer = setInterval(() => void this.removeExpired().catch((err: unknown) => this.logger.warn({ err }, 'tus: cleanup failed')), CLEANUP_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.running.values()]);
  }

  /** Runs one tus request (POST, HEAD, PATCH, DELETE) with the caller's context. */
  async handle(req: IncomingMessage, res: ServerResponse, context: TusRequestContext): Promise<void> {
    (req as WithContext)[CONTEXT] = context;
    await this.server.handle(req, res);
  }

  /** Whether `id` names an upload `principal` created (anything else answers 404). */
  async isOwnedBy(id: string, principal: Principal): Promise<boolean> {
    if (!TUS_ID.test(id)) return false;
    const info = await this.info(id);
    return info !== undefined && info.metadata?.[OWNER_KEY] === ownerOf(principal);
  }

  /**
   * The upload's state. A complete upload whose processing never ran or was cut short by a crash
   * is processed now (the caller owns it, checked by the controller).
   */
  async status(id: string, context: TusRequestContext): Promise<TusUploadStatus | undefined> {
    const info = await this.info(id);
    if (!info) return undefined;
    const expiresAt = new Date(Date.parse(info.creation_date ?? new Date().toISOString()) + TUS_EXPIRY_MS).toISOString();
    const size = info.size ?? null;
    let result = await this.readResult(id);
    const offset = (await stat(join(this.directory, id)).catch(() => undefined))?.size;
    if (offset === undefined && !result) return undefined;
    if ((!result || result.state === 'processing') && !this.running.has(id) && offset !== undefined && size !== null && offset === size) {
      result = await this.process(id, info, context);
    } else if (result?.state === 'processing' && !this.running.has(id)) {
      result = await this.recoverInterrupted(id, result);
    } else if (this.running.has(id)) {
      result = await this.running.get(id);
    }
    if (!result) return { id, state: 'uploading', offset: offset ?? 0, size, expiresAt };
    return { id, state: result.state, offset: size ?? offset ?? 0, size, expiresAt, photo: result.photo, problem: result.problem };
  }

  /** Removes uploads created more than {@link TUS_EXPIRY_MS} ago (files, tus records, results). */
  async removeExpired(now = Date.now()): Promise<number> {
    let removed = 0;
    const names = await readdir(this.directory).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const id = name.slice(0, -5);
      if (!TUS_ID.test(id) || this.running.has(id)) continue;
      const info = await this.info(id);
      const created = info?.creation_date ? Date.parse(info.creation_date) : (await stat(join(this.directory, name)).catch(() => undefined))?.mtimeMs;
      if (created === undefined || now - created <= TUS_EXPIRY_MS) continue;
      await rm(join(this.directory, id), { force: true });
      await rm(join(this.directory, name), { force: true });
      await rm(this.resultPath(id), { force: true });
      removed++;
    }
    // Results whose tus record is gone already.
    for (const name of await readdir(this.resultsDirectory).catch(() => [] as string[])) {
      const info = await stat(join(this.resultsDirectory, name)).catch(() => undefined);
      if (info && now - info.mtimeMs > TUS_EXPIRY_MS) await rm(join(this.resultsDirectory, name), { force: true });
    }
    if (removed) this.logger.info({ removed }, 'tus: expired uploads removed');
    return removed;
  }

  private async onCreate(context: TusRequestContext | undefined, upload: Upload): Promise<{ metadata: Record<string, string | null> }> {
    // The controller validated the metadata and checked the albums before tus saw the request.
    if (!context?.fields) throw { status_code: 400, body: 'Missing upload context\n' };
    return { metadata: { ...(upload.metadata ?? {}), [OWNER_KEY]: ownerOf(context.principal) } };
  }

  private async onFinish(context: TusRequestContext | undefined, upload: Upload): Promise<{ status_code?: number; headers?: Record<string, string>; body?: string }> {
    if (!context) throw { status_code: 400, body: 'Missing upload context\n' };
    const info = await this.info(upload.id);
    if (!info) throw { status_code: 404, body: 'Upload not found\n' };
    const result = await this.process(upload.id, info, context);
    if (result.state === 'completed') {
      return { headers: { 'Vitrine-Photo-Id': String(result.photo!.id), 'Vitrine-Duplicate': String(result.photo!.duplicate) } };
    }
    return {
      status_code: result.problem!.status,
      headers: { 'Content-Type': 'application/problem+json' },
      body: JSON.stringify(result.problem),
    };
  }

  /** One processing per upload at a time. */
  private process(id: string, info: UploadInfo, context: TusRequestContext): Promise<StoredResult> {
    const existing = this.running.get(id);
    if (existing) return existing;
    const run = this.ingestUpload(id, info, context).finally(() => this.running.delete(id));
    this.running.set(id, run);
    return run;
  }

  private async ingestUpload(id: string, info: UploadInfo, context: TusRequestContext): Promise<StoredResult> {
    const path = join(this.directory, id);
    let result: StoredResult;
    try {
      const fields = fieldsOf(info);
      const refused = fields.albumIds.filter((albumId) => !context.mayUploadTo(albumId));
      if (refused.length) {
        throw new VitrineError('forbidden', 'photo.album_forbidden', `You may not add photos to album ${refused.join(', ')}.`, [{ path: 'albumIds', message: 'not allowed' }]);
      }
      const spooled = await hashFile(path);
      await this.writeResult(id, { state: 'processing', sha256: spooled.sha256 });
      const outcome = await this.ingest.ingest({
        source: { spooled },
        originalName: fields.filename,
        albumIds: fields.albumIds,
        title: fields.title,
        description: fields.description,
        tags: fields.tags,
        principal: context.principal,
      });
      result = { state: 'completed', photo: photoView(outcome.photo, outcome.duplicate, this.sizes) };
    } catch (error) {
      await unlink(path).catch(() => undefined);
      result = { state: 'failed', problem: toProblem(error, `${TUS_PATH}/${id}`) };
      if (result.problem!.status >= 500) this.logger.error({ err: error, upload: id }, 'tus: ingest failed');
    }
    await this.writeResult(id, result);
    return result;
  }

  /**
   * A crash hit between "processing" and its outcome, and the file is gone: either the ingest
   * committed (the photo exists under the recorded hash) or it did not (the client must upload again).
   */
  private async recoverInterrupted(id: string, result: StoredResult): Promise<StoredResult> {
    const photo = result.sha256 ? await new PhotoRepository(this.dataSource.manager).findBySha256(result.sha256) : undefined;
    const recovered: StoredResult = photo
      ? { state: 'completed', photo: photoView(photo, false, this.sizes) }
      : {
          state: 'failed',
          problem: toProblem(new VitrineError('conflict', 'upload.interrupted', 'The server stopped while storing this upload. Upload the file again.'), `${TUS_PATH}/${id}`),
        };
    await this.writeResult(id, recovered);
    return recovered;
  }

  private async info(id: string): Promise<UploadInfo | undefined> {
    if (!TUS_ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(join(this.directory, `${id}.json`), 'utf8')) as UploadInfo;
    } catch {
      return undefined;
    }
  }

  private resultPath(id: string): string {
    return join(this.resultsDirectory, `${id}.json`);
  }

  private async readResult(id: string): Promise<StoredResult | undefined> {
    try {
      return JSON.parse(await readFile(this.resultPath(id), 'utf8')) as StoredResult;
    } catch {
      return undefined;
    }
  }

  private async writeResult(id: string, result: StoredResult): Promise<void> {
    const target = this.resultPath(id);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(result), { mode: 0o600 });
    await rename(temp, target);
  }
}

function contextOf(req: { runtime?: { node?: { req?: unknown } } }): TusRequestContext | undefined {
  return (req.runtime?.node?.req as WithContext | undefined)?.[CONTEXT];
}

function ownerOf(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.userId}` : `${principal.kind}:none`;
}

/** The fields stored at creation (validated then); the owner key is ours. */
function fieldsOf(info: UploadInfo): TusUploadFields {
  const m = info.metadata ?? {};
  const albumIds = (m.albumIds ?? '').split(',').map((s) => Number(s.trim())).filter((n) => Number.isSafeInteger(n) && n > 0);
  return {
    albumIds,
    title: m.title ?? undefined,
    description: m.description ?? undefined,
    tags: m.tags ? m.tags.split(/[,;]/) : undefined,
    filename: m.filename ?? m.name ?? 'upload',
  };
}
