import { open, type FileHandle } from 'node:fs/promises';

/** Most bytes handed to exifr: JPEG headers past this are ignored; other files past it go by path. */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;

/**
 * Reads the part of an image file that holds its metadata into memory, so exifr parses a Buffer
 * instead of reading the path itself. exifr 7.1.3's chunked file reader (512-byte first chunk)
 * silently loses or fails on segments that straddle its chunk boundaries, and one failing segment
 * makes it drop the others (see exifr#31); parsing a Buffer has neither problem.
 *
 * - JPEG: every marker segment up to the first SOS (EXIF, IPTC and XMP live there), capped at
 *   {@link MAX_METADATA_BYTES}; the compressed pixels are never read.
 * - Other formats: the whole file when it is at most {@link MAX_METADATA_BYTES}, else the path
 *   (exifr's chunked reader, the best available for a large TIFF or PNG).
 */
export async function readMetadataSource(path: string, maxBytes = MAX_METADATA_BYTES): Promise<Buffer | string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(4, size));
    await handle.read(head, 0, head.length, 0);
    if (head[0] === 0xff && head[1] === 0xd8) {
      const end = Math.min(await jpegHeaderEnd(handle, size), maxBytes);
      const buffer = Buffer.alloc(end);
      const { bytesRead } = await handle.read(buffer, 0, end, 0);
      return buffer.subarray(0, bytesRead);
    }
    if (size > maxBytes) return path;
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Offset of the first SOS marker (or where the segment chain breaks), reading 4 bytes a segment. */
async function jpegHeaderEnd(handle: FileHandle, size: number): Promise<number> {
  const header = Buffer.alloc(4);
  let pos = 2;
  while (pos + 4 <= size) {
    await handle.read(header, 0, 4, pos);
    if (header[0] !== 0xff) return pos;
    const marker = header[1] ?? 0;
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return pos;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    const length = header.readUInt16BE(2);
    if (length < 2) return pos;
    pos += 2 + length;
  }
  return Math.min(pos, size);
}
