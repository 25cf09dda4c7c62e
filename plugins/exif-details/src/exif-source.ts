import { open } from 'node:fs/promises';
import exifr from 'exifr';
import type { PhotoMetadata, SourceFileRef } from '../../../src/plugins/index.js';

/** Bytes read from the start of a file when core passed no raw EXIF (JPEG EXIF sits in the first 64 KB). */
export const HEAD_BYTES = 256 * 1024;

const EXIF_ONLY = {
  tiff: true, ifd0: {}, exif: true, gps: false, ifd1: false, interop: false, makerNote: false, userComment: false,
  xmp: false, iptc: false, icc: false, jfif: false, ihdr: false,
  mergeOutput: false, translateKeys: true, translateValues: false, reviveValues: false, sanitize: true,
} as const;

type Group = Readonly<Record<string, unknown>>;

/**
 * The EXIF group of the photo being imported: the one core already read (`metadata.raw.exif`),
 * or, when core passed none, parsed from the head of the temporary file. Never throws: an
 * unreadable file gives an empty group.
 */
export async function exifGroup(metadata: PhotoMetadata, file: SourceFileRef): Promise<Group> {
  const raw = metadata.raw?.exif;
  if (raw !== undefined) return isGroup(raw) ? raw : {};
  try {
    const handle = await open(file.path, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(HEAD_BYTES, file.size || HEAD_BYTES));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const parsed: unknown = await exifr.parse(buffer.subarray(0, bytesRead), EXIF_ONLY);
      const exif = (parsed as { exif?: unknown } | undefined)?.exif;
      return isGroup(exif) ? exif : {};
    } finally {
      await handle.close();
    }
  } catch {
    return {};
  }
}

function isGroup(value: unknown): value is Group {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
