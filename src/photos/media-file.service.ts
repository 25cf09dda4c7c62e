import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { noWriteInFlight } from '../database/data-version.js';
import { GUEST, type Principal } from '../access/principal.js';
import { VisibilityService } from '../access/visibility.service.js';
import { VitrineError } from '../common/errors.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { HookRegistry } from '../hooks/hook.registry.js';
import type { ImageVariant, ImageVariantRequest } from '../hooks/hook-payloads.js';
import { DERIVATIVE_EXT, DERIVATIVE_MIME, generateOne, writeAtomically, type DerivativeFormat } from '../media/derivative.generator.js';
import { ImageSizeRegistry, type ImageSize } from '../media/image-size.registry.js';
import { STORAGE_STRATEGY, type StorageStrategy } from '../media/storage.strategy.js';
import { actorOf } from '../plugin-host/plugin-actor.js';
import { PhotoRepository, type PhotoFileRow } from './photo.repository.js';

/** A file ready to stream, with the headers that depend on the photo. */
export interface ServableFile {
  path: string;
  size: number;
  contentType: string;
  etag: string;
  /** Whether anonymous visitors may see the photo (decides public vs private caching). */
  publicToGuests: boolean;
  /**
   * The bytes depend on who asks (an `image.variant` plugin gives visitors with and without the
   * download right different files at the same URL): never cache in shared caches, revalidate.
   */
  personal?: boolean;
}

/** A visible, non-personal derivative as the fast path serves it (size read from the open file). */
export type WarmDerivative = Pick<ServableFile, 'path' | 'contentType' | 'etag' | 'publicToGuests'>;

const MAX_WARM_ENTRIES = 20_000;

/** What `image.variant` keys may look like. */
const VARIANT_KEY = /^[a-z0-9][a-z0-9.-]{0,63}$/;

const EXT_FORMAT: Readonly<Record<string, DerivativeFormat>> = { jpg: 'jpeg', webp: 'webp', avif: 'avif' };

/**
 * Rules of the media routes. Every call checks visibility through {@link VisibilityService}
 * first; a photo the principal may not see answers exactly like a missing one
 * (`photo.not_found`, 404). Derivatives missing on disk are built on demand, one build per
 * (photo, size, format) at a time in this process.
 */
@Injectable()
export class MediaFileService {
  private readonly builds = new Map<string, Promise<void>>();
  /** Fast-path decisions: data version + principal + file → what to send (see {@link warmDerivative}). */
  private readonly warm = new Map<string, WarmDerivative | null>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly visibility: VisibilityService,
    private readonly sizes: ImageSizeRegistry,
    private readonly hooks: HookRegistry,
    @Inject(STORAGE_STRATEGY) private readonly storage: StorageStrategy,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
  ) {}

  /** Maps a URL extension (`jpg`, `webp`, `avif`) to a format, or undefined. */
  formatOf(ext: string): DerivativeFormat | undefined {
    return Object.hasOwn(EXT_FORMAT, ext) ? EXT_FORMAT[ext] : undefined;
  }

  /**
   * A derivative, built on first request. When a plugin answers `image.variant` with a variant
   * for this request (e.g. a watermark for visitors without the download right), the variant is
   * built once from the clean file and cached under its own name and ETag.
   * @param canDownload whether the principal has the `download` right (asked only when a plugin listens to `image.variant`)
   * @throws VitrineError `photo.not_found` (404) for missing, invisible or unknown sizes alike.
   */
  async derivative(
    principal: Principal,
    rawId: string,
    sizeName: string,
    format: DerivativeFormat,
    canDownload: () => boolean | Promise<boolean> = () => false,
  ): Promise<ServableFile> {
    const row = await this.visibleRow(principal, rawId);
    const size = this.sizes.get(sizeName);
    if (!size || !row.storage_key || !row.sha256) throw notFound(rawId);
    const ext = DERIVATIVE_EXT[format];
    const clean = this.storage.derivativePath(row.id, size.name, ext);
    await this.ensureFile(clean, `${row.id}/${size.name}/${ext}`, async () => {
      const original = this.storage.originalPath(row.storage_key!);
      // The original may be gone (a photo `vitrine doctor` flagged missing, seen by an administrator): nothing to build from.
      if (!(await stat(original).catch(() => undefined))) throw notFound(rawId);
      await generateOne(original, size, format, clean, { maxImagePixels: this.config.maxImagePixels });
    });
    let path = clean;
    let tagInput = `${row.sha256}:${size.name}:${size.width}x${size.height}:${size.crop}:${format}`;
    let personal = false;
    // hook: image.variant — plugins (watermark) choose a variant per request; errors fail the request.
    if (this.hooks.subscriptions('image.variant').length > 0) {
      const request: ImageVariantRequest = { photoId: row.id, size: size.name, format, canDownload: await canDownload(), actor: actorOf(principal) };
      const variant = await this.variantFor(request);
      const other = await this.variantFor({ ...request, canDownload: !request.canDownload });
      personal = variant?.key !== other?.key;
      if (variant) {
        const id = createHash('sha256').update(variant.key).digest('hex').slice(0, 16);
        path = this.storage.derivativePath(row.id, size.name, ext, id);
        await this.ensureFile(path, `${row.id}/${size.name}/${ext}@${id}`, async () => {
          const bytes = await variant.transform(await readFile(clean), request);
          await writeAtomically(path, (temp) => writeFile(temp, bytes));
        });
        tagInput += `:${variant.key}`;
      }
    }
    const info = await stat(path);
    return { path, size: info.size, contentType: DERIVATIVE_MIME[format], etag: etagOf(tagInput), publicToGuests: await this.publicToGuests(principal, row.id), personal };
  }

  /**
   * The derivative for the media fast path, from a cache of decisions keyed by the data version
   * (`dataVersionReader`: access epoch + content version, read by the caller for this request),
   * the principal's identity, role and privacy level, and the file. A grant revoked, a photo made
   * private, unlinked or deleted, an album hidden: each changes the version, so the next request
   * decides again through {@link VisibilityService}, as the full route does.
   *
   * Answers null whenever the fast path must not answer — photo invisible, missing or malformed,
   * unknown size, share-link principal, or an `image.variant` listener (per-request variants):
   * the caller then hands the request to the full route, which answers (404s included) as always.
   * The file itself may still be missing (built on demand by the full route).
   */
  async warmDerivative(principal: Principal, version: string, rawId: string, sizeName: string, format: DerivativeFormat): Promise<WarmDerivative | null> {
    if (principal.kind === 'share' || this.hooks.subscriptions('image.variant').length > 0) return null;
    const who = principal.kind === 'user' ? `u${principal.userId}:${principal.role}:${principal.privacyLevel}` : 'guest';
    const size = this.sizes.get(sizeName);
    if (!size) return null;
    const key = `${version}\n${who}\n${rawId}/${size.name}/${size.width}x${size.height}:${size.crop}/${format}`;
    const cached = this.warm.get(key);
    if (cached !== undefined) return cached;
    // Checked after the caller read the version and BEFORE deciding (see noWriteInFlight).
    const cacheable = await noWriteInFlight(this.dataSource);
    const entry = await this.decideWarm(principal, rawId, size, format);
    if (entry === null || cacheable) {
      if (this.warm.size >= MAX_WARM_ENTRIES) this.warm.delete(this.warm.keys().next().value!);
      this.warm.set(key, entry); // a null only ever sends later requests to the full route
    }
    return entry;
  }

  private async decideWarm(principal: Principal, rawId: string, size: ImageSize, format: DerivativeFormat): Promise<WarmDerivative | null> {
    const id = parsePhotoId(rawId);
    if (id === null) return null;
    if ((await this.visibility.filterPhotoIds(principal, [id])).length !== 1) return null;
    const row = await new PhotoRepository(this.dataSource.manager).fileRow(id);
    if (!row?.storage_key || !row.sha256) return null;
    return {
      path: this.storage.derivativePath(row.id, size.name, DERIVATIVE_EXT[format]),
      contentType: DERIVATIVE_MIME[format],
      etag: etagOf(`${row.sha256}:${size.name}:${size.width}x${size.height}:${size.crop}:${format}`),
      publicToGuests: await this.publicToGuests(principal, row.id),
    };
  }

  private async variantFor(request: ImageVariantRequest): Promise<ImageVariant | null> {
    const variant = await this.hooks.applyFilter('image.variant', null, request);
    if (variant !== null && (typeof variant !== 'object' || !VARIANT_KEY.test(String(variant.key)) || typeof variant.transform !== 'function')) {
      throw new Error(`image.variant returned an invalid variant (key ${JSON.stringify((variant as { key?: unknown })?.key)}); keys match ${VARIANT_KEY}.`);
    }
    return variant;
  }

  /** Builds `path` with `build` unless it exists; one build per key at a time. */
  private async ensureFile(path: string, key: string, build: () => Promise<unknown>): Promise<void> {
    if (await stat(path).catch(() => undefined)) return;
    await this.buildOnce(key, async () => {
      if (await stat(path).catch(() => undefined)) return;
      await build();
    });
  }

  /**
   * The original, for principals with the `download` right.
   * @throws VitrineError `photo.not_found` (404) when not visible, `photo.download_forbidden` (403)
   *   when visible but not downloadable (the principal already knows it exists).
   */
  async original(principal: Principal, rawId: string, canDownload: boolean): Promise<ServableFile & { originalName: string; ext: string; id: number }> {
    const row = await this.visibleRow(principal, rawId);
    if (!canDownload) throw new VitrineError('forbidden', 'photo.download_forbidden', 'You are not allowed to download the original of this photo.');
    if (!row.storage_key || !row.sha256) throw notFound(rawId);
    const path = this.storage.originalPath(row.storage_key);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw notFound(rawId);
    return {
      id: row.id,
      path,
      size: info.size,
      contentType: row.mime_type ?? 'application/octet-stream',
      etag: `"${row.sha256.trim()}"`,
      publicToGuests: false,
      originalName: row.original_name,
      ext: extname(row.storage_key).slice(1),
    };
  }

  private async visibleRow(principal: Principal, rawId: string): Promise<PhotoFileRow> {
    const id = parsePhotoId(rawId);
    if (id === null) throw notFound(rawId);
    const visible = await this.visibility.filterPhotoIds(principal, [id]);
    if (visible.length !== 1) throw notFound(rawId);
    const row = await new PhotoRepository(this.dataSource.manager).fileRow(id);
    if (!row) throw notFound(rawId);
    return row;
  }

  private async publicToGuests(principal: Principal, id: number): Promise<boolean> {
    if (principal.kind === 'guest') return true; // already checked with the guest's own rights
    return (await this.visibility.filterPhotoIds(GUEST, [id])).length === 1;
  }

  /** Runs `build` unless one with the same key is running, in which case it waits for that one. */
  private buildOnce(key: string, build: () => Promise<void>): Promise<void> {
    const running = this.builds.get(key);
    if (running) return running;
    const started = build().finally(() => this.builds.delete(key));
    this.builds.set(key, started);
    return started;
  }

  /** Builds in flight (tests). */
  get buildsInFlight(): number {
    return this.builds.size;
  }
}

function etagOf(tagInput: string): string {
  return `"${createHash('sha256').update(tagInput).digest('base64url').slice(0, 27)}"`;
}

/** A photo id from a URL segment (1…2^31−1, no leading zeros or signs), or null. */
function parsePhotoId(rawId: string): number | null {
  if (!/^[1-9]\d{0,9}$/.test(rawId)) return null;
  const id = Number(rawId);
  return id <= 2_147_483_647 ? id : null;
}

/** The one answer for missing, invisible and malformed ids: identical status and body. */
function notFound(_rawId: string): VitrineError {
  return new VitrineError('not_found', 'photo.not_found', 'This photo does not exist.');
}
