import sharp, { type Metadata } from 'sharp';
import { VitrineError } from '../common/errors.js';
import { FileByteReader, type ByteRange } from './byte-reader.js';
import { walkGif, walkIsoBmff, walkJpeg, walkTiff, walkWebp } from './container.walkers.js';
import { IMAGE_FORMATS, SNIFF_BYTES, sniffFileType, type ImageFormat } from './file-type.sniffer.js';
import { FILE_MARKUP, STRUCTURE_MARKUP, findMarkup, scanRanges } from './markup.scanner.js';
import { decodeIntermediate, type DecodedIntermediate } from './derivative.generator.js';
import type { ImageSize } from './image-size.registry.js';
import { MediaErrors } from './media.errors.js';
import { DEFAULT_PNG_SCAN_LIMITS, scanPngChunks, type PngScanLimits } from './png-chunk.scanner.js';

/** Bounds for {@link probeImage}. Only `maxImagePixels` is required (from `VitrineConfig`). */
export interface ProbeLimits {
  /** Largest width × height of one frame (`VitrineConfig.maxImagePixels`). */
  maxImagePixels: number;
  /** Most frames/pages in one file (default 1000). */
  maxFrames?: number;
  /** Largest frames × width × height (default 500 MP). */
  maxAnimationPixels?: number;
  /** Seconds the verifying decode may take (default 60). */
  decodeTimeoutSeconds?: number;
  png?: Partial<PngScanLimits>;
  /**
   * Eager derivative sizes: the verifying decode then decodes to the intermediate these sizes are
   * made from (instead of a throwaway thumbnail) and returns it as `ProbedImage.intermediate`, so
   * ingest writes them without decoding the original a second time.
   */
  decodeFor?: ReadonlyArray<Pick<ImageSize, 'width' | 'height' | 'crop'>>;
}

export const DEFAULT_MAX_FRAMES = 1000;
export const DEFAULT_MAX_ANIMATION_PIXELS = 500_000_000;

/** A file that passed every check of {@link probeImage}. */
export interface ProbedImage {
  format: ImageFormat;
  /** MIME type to serve the original with (from the sniffed content, never the client). */
  mime: string;
  /** Storage extension without dot (`jpg`, `png`, `webp`, `avif`, `gif`, `tif`). */
  ext: string;
  /** Width after applying EXIF orientation. */
  width: number;
  /** Height after applying EXIF orientation. */
  height: number;
  /** EXIF orientation 1–8 (1 when absent or invalid). */
  orientation: number;
  /** Frames (GIF, WebP) or pages (TIFF); 1 for stills. */
  pages: number;
  hasAlpha: boolean;
  /** File size in bytes. */
  size: number;
  /** The verifying decode as a raw intermediate, when `decodeFor` was given. */
  intermediate?: DecodedIntermediate;
}

/**
 * Validates an uploaded file **by content**, in SECURITY.md's order, and describes it:
 *
 * 1. magic-byte sniff → allowlist (JPEG, PNG, WebP, AVIF, GIF, TIFF; HEIC refused with its own code);
 * 2. structure pre-scan without decoding: PNG chunk bounds (inflate bombs) and polyglot markup;
 * 3. header dimensions against `maxImagePixels`, frame count and frames × pixels (sharp metadata);
 * 4. a full decode of the first frame with `limitInputPixels` and `failOn: 'error'`, so truncated
 *    or corrupt data is refused. It decodes into a tiny thumbnail, so no full raster is held.
 *
 * Reads the file; never writes, moves or deletes it (the caller owns the temp file).
 * @throws VitrineError `upload.empty`, `upload.not_an_image`, `upload.heic_unsupported`,
 *   `upload.polyglot`, `upload.chunk_too_large`, `upload.too_many_chunks`, `upload.too_many_pixels`,
 *   `upload.too_many_frames`, `upload.animation_too_large`, `upload.too_complex`, `upload.corrupt`.
 */
export async function probeImage(path: string, limits: ProbeLimits): Promise<ProbedImage> {
  const reader = await FileByteReader.open(path);
  let format: ImageFormat;
  try {
    if (reader.size === 0) throw MediaErrors.empty();
    const sniffed = sniffFileType(await reader.read(0, SNIFF_BYTES));
    if (sniffed.kind === 'heic') throw MediaErrors.heicUnsupported();
    if (sniffed.kind === 'other') throw MediaErrors.notAnImage(sniffed.label);
    format = sniffed.format;
    await checkStructure(reader, format, limits);
  } finally {
    await reader.close();
  }
  const size = reader.size;
  const meta = await readHeader(path, format);
  const pages = checkDimensions(meta, limits);
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  const intermediate = await verifyDecode(path, limits, { width, height });
  const orientation = meta.orientation && meta.orientation >= 1 && meta.orientation <= 8 ? meta.orientation : 1;
  const { mime, ext } = IMAGE_FORMATS[format];
  return {
    format,
    mime,
    ext,
    width,
    height,
    orientation,
    pages,
    hasAlpha: meta.hasAlpha,
    size,
    ...(intermediate ? { intermediate } : {}),
  };
}

const WALKERS: Record<Exclude<ImageFormat, 'png'>, (reader: FileByteReader) => Promise<ByteRange[]>> = {
  jpeg: (reader) => walkJpeg(reader),
  gif: walkGif,
  webp: walkWebp,
  avif: (reader) => walkIsoBmff(reader),
  tiff: walkTiff,
};

/** Step 2: container bounds and the two-tier markup scan (see markup.scanner.ts). */
async function checkStructure(reader: FileByteReader, format: ImageFormat, limits: ProbeLimits): Promise<void> {
  let structure: ByteRange[];
  let inflated: Buffer[] = [];
  if (format === 'png') {
    ({ structure, inflated } = await scanPngChunks(reader, { ...DEFAULT_PNG_SCAN_LIMITS, ...limits.png }));
  } else {
    try {
      structure = await WALKERS[format](reader);
    } catch {
      structure = [{ start: 0, end: reader.size }];
    }
  }
  const hit =
    (await scanRanges(reader, structure, STRUCTURE_MARKUP)) ??
    inflated.map((text) => findMarkup(text, STRUCTURE_MARKUP)).find((h) => h !== undefined) ??
    (await scanRanges(reader, [{ start: 0, end: reader.size }], FILE_MARKUP));
  if (hit) throw MediaErrors.polyglot(hit.token);
}

/** Step 3a: sharp reads the header only. The pixel limit is ours to enforce, with a clear message. */
async function readHeader(path: string, format: ImageFormat): Promise<Metadata> {
  let meta: Metadata;
  try {
    meta = await sharp(path, { limitInputPixels: false, failOn: 'error' }).metadata();
  } catch (error) {
    throw MediaErrors.corrupt(errorMessage(error));
  }
  const expected = format === 'avif' ? 'heif' : format;
  if (meta.format !== expected || (format === 'avif' && meta.compression !== 'av1') || !meta.width || !meta.height) {
    throw MediaErrors.corrupt(`header says ${String(meta.format)}/${String(meta.compression)}`);
  }
  return meta;
}

/** Step 3b: returns the frame count once pixels, frames and frames × pixels are within bounds. */
function checkDimensions(meta: Metadata, limits: ProbeLimits): number {
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  if (width * height > limits.maxImagePixels) throw MediaErrors.tooManyPixels(width, height, limits.maxImagePixels);
  const pages = Math.max(1, meta.pages ?? 1);
  const maxFrames = limits.maxFrames ?? DEFAULT_MAX_FRAMES;
  if (pages > maxFrames) throw MediaErrors.tooManyFrames(pages, maxFrames);
  const maxTotal = limits.maxAnimationPixels ?? DEFAULT_MAX_ANIMATION_PIXELS;
  if (pages > 1 && pages * width * height > maxTotal) throw MediaErrors.animationTooLarge(pages, width * height, maxTotal);
  return pages;
}

/** Box of the throwaway thumbnail the verifying decode produces. */
const VERIFY_BOX = 64;

/**
 * Step 4: decode every compressed byte of the first frame. Scaling to a tiny thumbnail keeps
 * memory flat: JPEG and WebP shrink on load but still entropy-decode the whole stream, other
 * formats decode line by line, so truncation and corrupt data fail here.
 */
async function verifyDecode(path: string, limits: ProbeLimits, source: { width: number; height: number }): Promise<DecodedIntermediate | undefined> {
  const seconds = limits.decodeTimeoutSeconds ?? 60;
  try {
    if (limits.decodeFor?.length) {
      return await decodeIntermediate(path, limits.decodeFor, { maxImagePixels: limits.maxImagePixels, timeoutSeconds: seconds, source });
    }
    await sharp(path, { limitInputPixels: limits.maxImagePixels, failOn: 'error', sequentialRead: true, page: 0, pages: 1 })
      .timeout({ seconds })
      .resize(VERIFY_BOX, VERIFY_BOX, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer();
    return undefined;
  } catch (error) {
    if (error instanceof VitrineError) throw error;
    const message = errorMessage(error);
    if (/timeout/i.test(message)) throw MediaErrors.tooComplex(seconds);
    throw MediaErrors.corrupt(message);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
}
