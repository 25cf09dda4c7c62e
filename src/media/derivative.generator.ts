import { randomBytes } from 'node:crypto';
import { PROCESS_TAG } from './process-tag.js';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { intermediateDimensions, targetDimensions, type Dimensions } from './derivative.geometry.js';
import type { ImageSize } from './image-size.registry.js';
import { sniffFile } from './file-type.sniffer.js';
import { MediaErrors } from './media.errors.js';

/** Output formats of derivatives. JPEG always; WebP/AVIF for clients that `Accept` them. */
export type DerivativeFormat = 'jpeg' | 'webp' | 'avif';

export const DERIVATIVE_EXT: Readonly<Record<DerivativeFormat, string>> = { jpeg: 'jpg', webp: 'webp', avif: 'avif' };
export const DERIVATIVE_MIME: Readonly<Record<DerivativeFormat, string>> = { jpeg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif' };

export interface DerivativeOptions {
  /** `VitrineConfig.maxImagePixels`, passed to sharp as `limitInputPixels`. */
  maxImagePixels: number;
  /** Formats to write for every size (default `['jpeg']`). */
  formats?: DerivativeFormat[];
  /** Encoder quality per format (defaults: JPEG 82, WebP 80, AVIF 55). */
  quality?: Partial<Record<DerivativeFormat, number>>;
  /** Compute the blur placeholder (default true). */
  placeholder?: boolean;
}

/** Where a derivative goes: an absolute path, e.g. from `StorageStrategy.derivativePath`. */
export type DerivativeTarget = (size: ImageSize, format: DerivativeFormat) => string;

export interface WrittenDerivative {
  size: string;
  format: DerivativeFormat;
  path: string;
  width: number;
  height: number;
  bytes: number;
}

export interface DerivativeSet {
  /** Source dimensions after EXIF orientation. */
  source: Dimensions;
  derivatives: WrittenDerivative[];
  /** `data:image/webp;base64,…` of a 16 px wide version, under 1 KB; undefined when not asked. */
  placeholder?: string;
}

const DEFAULT_QUALITY: Readonly<Record<DerivativeFormat, number>> = { jpeg: 82, webp: 80, avif: 55 };
const PLACEHOLDER_WIDTH = 16;

/**
 * Builds several sizes from **one decode** of the original: the original is auto-oriented,
 * converted to sRGB and decoded once, straight to the smallest intermediate every size can come
 * from (JPEG and WebP shrink on load), into a raw buffer; each size and format is then resized
 * and encoded from that buffer. Measured on a 12 MP JPEG (see src/media/README.md), this beats
 * both decoding per size and `sharp.clone()` (which re-decodes the input for every clone).
 *
 * Every output is stripped of metadata (no EXIF, GPS, XMP, IPTC) and carries only an sRGB ICC
 * profile; transparent areas are flattened on white for JPEG and kept for WebP/AVIF. The original
 * is never enlarged. Each file is written to a temp name in its directory and renamed into place.
 */
export async function generateDerivatives(
  originalPath: string,
  sizes: ReadonlyArray<ImageSize>,
  target: DerivativeTarget,
  options: DerivativeOptions,
): Promise<DerivativeSet> {
  await assertImage(originalPath);
  const mid = await decodeIntermediate(originalPath, sizes, options);
  return writeFromIntermediate(mid, sizes, target, options);
}

/** The one decode of an original, as a raw sRGB buffer every size in `sizes` can be made from. */
export interface DecodedIntermediate {
  /** Source dimensions after EXIF orientation. */
  source: Dimensions;
  data: Buffer;
  info: { width: number; height: number; channels: 1 | 2 | 3 | 4 };
  /** Whether the buffer is large enough for the blur placeholder too. */
  placeholder: boolean;
}

/**
 * Step one of {@link generateDerivatives}: decodes the original once (first frame, auto-oriented,
 * sRGB, shrink-on-load) into the smallest raw buffer every size can come from. With `failOn:
 * 'error'` every compressed byte of the frame is decoded, so the upload probe uses this as its
 * verifying decode and hands the buffer to ingest (no second decode for the eager sizes).
 * Does not check the magic bytes: callers have (the probe) or use {@link generateDerivatives}.
 */
export async function decodeIntermediate(
  originalPath: string,
  sizes: ReadonlyArray<Pick<ImageSize, 'width' | 'height' | 'crop'>>,
  options: Pick<DerivativeOptions, 'maxImagePixels' | 'placeholder'> & { timeoutSeconds?: number; source?: Dimensions },
): Promise<DecodedIntermediate> {
  let source = options.source;
  if (!source) {
    const meta = await sharp(originalPath, { limitInputPixels: options.maxImagePixels }).metadata();
    source = { width: meta.autoOrient?.width ?? meta.width, height: meta.autoOrient?.height ?? meta.height };
  }
  const wantsPlaceholder = options.placeholder ?? true;
  const boxes: Array<Pick<ImageSize, 'width' | 'height' | 'crop'>> = [...sizes];
  if (wantsPlaceholder) boxes.push({ width: PLACEHOLDER_WIDTH, height: PLACEHOLDER_WIDTH * 4, crop: false });
  const mid = intermediateDimensions(source, boxes);
  let pipeline = openOriginal(originalPath, options).rotate();
  if (options.timeoutSeconds) pipeline = pipeline.timeout({ seconds: options.timeoutSeconds });
  const { data, info } = await pipeline
    .resize(mid.width, mid.height, { fit: 'fill' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { source, data, info: { width: info.width, height: info.height, channels: info.channels }, placeholder: wantsPlaceholder };
}

/** Derivatives encoded in memory from an intermediate, not yet written (see {@link encodeFromIntermediate}). */
export interface EncodedDerivatives {
  /** Source dimensions after EXIF orientation. */
  source: Dimensions;
  files: Array<{ size: ImageSize; format: DerivativeFormat; width: number; height: number; data: Buffer }>;
  placeholder?: string;
}

/**
 * Step two of {@link generateDerivatives}: resizes and encodes each size and format from the
 * buffer. = {@link encodeFromIntermediate} then {@link writeEncoded}.
 */
export async function writeFromIntermediate(
  mid: DecodedIntermediate,
  sizes: ReadonlyArray<ImageSize>,
  target: DerivativeTarget,
  options: DerivativeOptions,
): Promise<DerivativeSet> {
  return writeEncoded(await encodeFromIntermediate(mid, sizes, options), target);
}

/**
 * Resizes and encodes every size and format (and the blur placeholder) from the intermediate into
 * memory — a few hundred KB for the eager sizes. Ingest starts this before its database
 * transaction and writes the files after the commit, once the photo id (their directory) exists,
 * so encoding and the database work overlap.
 */
export async function encodeFromIntermediate(
  mid: DecodedIntermediate,
  sizes: ReadonlyArray<ImageSize>,
  options: DerivativeOptions,
): Promise<EncodedDerivatives> {
  const { source, data, info } = mid;
  const fromRaw = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  const formats = options.formats ?? ['jpeg'];
  const jobs = sizes.flatMap((size) =>
    formats.map(async (format) => {
      const dims = targetDimensions(source, size);
      const encoded = await encoderFor(shape(fromRaw(), size, dims), format, options).toBuffer();
      return { size, format, width: dims.width, height: dims.height, data: encoded };
    }),
  );
  const wantsPlaceholder = mid.placeholder && (options.placeholder ?? true);
  const [files, placeholder] = await Promise.all([settleAll(jobs), wantsPlaceholder ? blurPlaceholder(fromRaw(), source) : Promise.resolve(undefined)]);
  return { source, files, placeholder };
}

/**
 * The blur placeholder alone from an intermediate (a 16 px wide WebP data URI, a few hundred
 * bytes): ingest awaits it before its transaction so the photo row is inserted with it, while
 * the sizes themselves are still being encoded. Undefined when the intermediate was decoded
 * without the placeholder's box.
 */
export async function blurPlaceholderOf(mid: DecodedIntermediate): Promise<string | undefined> {
  if (!mid.placeholder) return undefined;
  const { data, info } = mid;
  return blurPlaceholder(sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }), mid.source);
}

/** Writes encoded derivatives to `target` paths: one mkdir per directory, each file atomically. */
export async function writeEncoded(encoded: EncodedDerivatives, target: DerivativeTarget): Promise<DerivativeSet> {
  const outputs = encoded.files.map((file) => ({ ...file, path: target(file.size, file.format) }));
  await Promise.all([...new Set(outputs.map((o) => dirname(o.path)))].map((dir) => mkdir(dir, { recursive: true })));
  const derivatives = await settleAll(
    outputs.map(async ({ size, format, width, height, data, path }) => {
      await writeAtomically(path, (temp) => writeFile(temp, data), { makeDir: false });
      return { size: size.name, format, path, width, height, bytes: data.length };
    }),
  );
  return { source: encoded.source, derivatives, placeholder: encoded.placeholder };
}

/**
 * Builds one size on demand (first request for a lazy size), decoding the original straight to
 * that size. Same output rules as {@link generateDerivatives}.
 */
export async function generateOne(
  originalPath: string,
  size: ImageSize,
  format: DerivativeFormat,
  outputPath: string,
  options: DerivativeOptions,
): Promise<WrittenDerivative> {
  await assertImage(originalPath);
  const meta = await sharp(originalPath, { limitInputPixels: options.maxImagePixels }).metadata();
  const source = { width: meta.autoOrient?.width ?? meta.width, height: meta.autoOrient?.height ?? meta.height };
  const dims = targetDimensions(source, size);
  const pipeline = shape(openOriginal(originalPath, options).rotate(), size, dims).toColourspace('srgb');
  return writeDerivative(pipeline, size, format, dims, outputPath, options);
}

/** Computes only the blur placeholder (for photos ingested before placeholders existed). */
export async function makePlaceholder(originalPath: string, options: Pick<DerivativeOptions, 'maxImagePixels'>): Promise<string> {
  await assertImage(originalPath);
  const meta = await sharp(originalPath, { limitInputPixels: options.maxImagePixels }).metadata();
  const source = { width: meta.autoOrient?.width ?? meta.width, height: meta.autoOrient?.height ?? meta.height };
  return blurPlaceholder(openOriginal(originalPath, options).rotate().toColourspace('srgb'), source);
}

/**
 * Originals passed the probe, but a file on disk may have been swapped or imported by hand: check
 * the magic bytes again so sharp never renders an SVG (or anything off the allowlist) here.
 */
async function assertImage(path: string): Promise<void> {
  const sniffed = await sniffFile(path);
  if (sniffed.kind === 'heic') throw MediaErrors.heicUnsupported();
  if (sniffed.kind === 'other') throw MediaErrors.notAnImage(sniffed.label);
}

function openOriginal(path: string, options: Pick<DerivativeOptions, 'maxImagePixels'>): Sharp {
  return sharp(path, { limitInputPixels: options.maxImagePixels, failOn: 'error', page: 0, pages: 1 });
}

/** Resizes to the exact precomputed dimensions (centre crop for crop sizes). */
function shape(pipeline: Sharp, size: Pick<ImageSize, 'crop'>, dims: Dimensions): Sharp {
  return pipeline.resize(dims.width, dims.height, { fit: size.crop ? 'cover' : 'fill', position: 'centre' });
}

async function writeDerivative(
  pipeline: Sharp,
  size: ImageSize,
  format: DerivativeFormat,
  dims: Dimensions,
  path: string,
  options: DerivativeOptions,
): Promise<WrittenDerivative> {
  // sharp reports the bytes it wrote: no stat of the file afterwards.
  const { size: bytes } = await writeAtomically(path, (temp) => encoderFor(pipeline, format, options).toFile(temp));
  return { size: size.name, format, path, width: dims.width, height: dims.height, bytes };
}

/** The output settings of every derivative: sRGB profile only, JPEG flattened on white, per-format quality. */
function encoderFor(pipeline: Sharp, format: DerivativeFormat, options: Pick<DerivativeOptions, 'quality'>): Sharp {
  const quality = options.quality?.[format] ?? DEFAULT_QUALITY[format];
  const encoded = pipeline.withIccProfile('srgb');
  if (format === 'jpeg') return encoded.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: false, progressive: true });
  if (format === 'webp') return encoded.webp({ quality, effort: 4 });
  return encoded.avif({ quality, effort: 2 });
}

/**
 * Writes through `write(tempPath)` then renames onto `path` and resolves to what `write`
 * resolved to; the temp file never survives a failure. Creates the directory first unless
 * `makeDir: false` (the caller made it).
 */
export async function writeAtomically<T>(path: string, write: (tempPath: string) => Promise<T>, options: { makeDir?: boolean } = {}): Promise<T> {
  if (options.makeDir ?? true) await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${PROCESS_TAG}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const written = await write(temp);
    await rename(temp, path);
    return written;
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** A 16 px wide, lightly blurred WebP as a data URI: a few hundred bytes, shown while loading. */
async function blurPlaceholder(pipeline: Sharp, source: Dimensions): Promise<string> {
  const height = Math.max(1, Math.min(64, Math.round((PLACEHOLDER_WIDTH * source.height) / source.width)));
  const webp = await pipeline
    .resize(PLACEHOLDER_WIDTH, height, { fit: 'fill' })
    .flatten({ background: '#ffffff' })
    .blur(0.5)
    .webp({ quality: 40, effort: 4, smartSubsample: true })
    .toBuffer();
  return `data:image/webp;base64,${webp.toString('base64')}`;
}

/** Like Promise.all, but waits for every job before rejecting, so no write is left in flight. */
async function settleAll<T>(jobs: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
