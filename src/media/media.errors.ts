import { VitrineError } from '../common/errors.js';

/**
 * Every refusal the media pipeline can produce, in one place so codes stay stable. The HTTP layer
 * maps `kind` to a status (400, 413, 415); ws.php maps it to Piwigo's codes. Messages are
 * sentences a person understands and never echo file names or file content.
 */
export const MediaErrors = {
  empty: () => new VitrineError('invalid', 'upload.empty', 'The file is empty.'),

  tooLarge: (limitBytes: number) =>
    new VitrineError('too_large', 'upload.too_large', `The file is larger than the ${formatBytes(limitBytes)} limit.`, undefined, {
      limitBytes,
    }),

  notAnImage: (detected: string) =>
    new VitrineError('unsupported', 'upload.not_an_image', `This file is not a supported image (detected: ${detected}).`, undefined, {
      detected,
    }),

  heicUnsupported: () =>
    new VitrineError(
      'unsupported',
      'upload.heic_unsupported',
      'HEIC/HEIF photos cannot be read on this server yet (detected: HEIC). Export the photo as JPEG and upload it again.',
      undefined,
      { detected: 'HEIC' },
    ),

  polyglot: (token: string) =>
    new VitrineError(
      'invalid',
      'upload.polyglot',
      `This image also contains web page or script markup (${token}), so it was refused.`,
      undefined,
      { token },
    ),

  tooManyPixels: (width: number, height: number, limit: number) =>
    new VitrineError(
      'too_large',
      'upload.too_many_pixels',
      `This image is ${width}×${height} pixels (${megapixels(width * height)}); the limit is ${megapixels(limit)}.`,
      undefined,
      { width, height, limit },
    ),

  tooManyFrames: (frames: number, limit: number) =>
    new VitrineError('too_large', 'upload.too_many_frames', `This animation has ${frames} frames; the limit is ${limit}.`, undefined, {
      frames,
      limit,
    }),

  animationTooLarge: (frames: number, pixels: number, limit: number) =>
    new VitrineError(
      'too_large',
      'upload.animation_too_large',
      `This animation has ${frames} frames of ${megapixels(pixels)}, more than the ${megapixels(limit)} allowed in total.`,
      undefined,
      { frames, pixels, limit },
    ),

  compressedChunkTooLarge: (chunk: string, limitBytes: number) =>
    new VitrineError(
      'too_large',
      'upload.chunk_too_large',
      `This image holds more than ${formatBytes(limitBytes)} of text or colour-profile data in its ${chunk} block.`,
      undefined,
      { chunk, limitBytes },
    ),

  tooManyChunks: (limit: number) =>
    new VitrineError('invalid', 'upload.too_many_chunks', `This image is split into more than ${limit} blocks, which real images never are.`, undefined, {
      limit,
    }),

  tooComplex: (seconds: number) =>
    new VitrineError('too_large', 'upload.too_complex', `This image took longer than ${seconds} seconds to read, so it was refused.`, undefined, {
      seconds,
    }),

  corrupt: (detail?: string) =>
    new VitrineError('invalid', 'upload.corrupt', 'This image is damaged or incomplete and cannot be read.', undefined, detail ? { detail } : undefined),
};

/** `209715200` → `200 MB` (binary megabytes, as the config documents them). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GB`;
  if (bytes >= 1024 ** 2) return `${round1(bytes / 1024 ** 2)} MB`;
  if (bytes >= 1024) return `${round1(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

function megapixels(pixels: number): string {
  return `${round1(pixels / 1_000_000)} MP`;
}

function round1(n: number): string {
  return String(Math.round(n * 10) / 10);
}
