import { inflateSync } from 'node:zlib';
import type { ByteRange, FileByteReader } from './byte-reader.js';
import { MediaErrors } from './media.errors.js';

/** Bounds applied before libpng (through sharp) sees a PNG. */
export interface PngScanLimits {
  /** Largest text or profile payload of one chunk, after inflating (default 8 MiB). */
  maxChunkPayloadBytes: number;
  /** Largest sum of those payloads over the file (default 16 MiB). */
  maxTotalPayloadBytes: number;
  /** Most chunks in one file, IDAT included (default 100 000: 800 MB in 8 KiB IDATs). */
  maxChunks: number;
}

export const DEFAULT_PNG_SCAN_LIMITS: PngScanLimits = {
  maxChunkPayloadBytes: 8 * 1024 * 1024,
  maxTotalPayloadBytes: 16 * 1024 * 1024,
  maxChunks: 100_000,
};

/** What the markup scanner must look at: raw byte ranges and inflated text. */
export interface PngScanResult {
  /** Everything except IDAT/fdAT pixel data, and anything after IEND. */
  structure: ByteRange[];
  /** Inflated zTXt/iTXt/iCCP payloads (each ≤ the chunk limit). */
  inflated: Buffer[];
}

const PIXEL_CHUNKS = new Set(['IDAT', 'fdAT']);
const COMPRESSED_CHUNKS = new Set(['zTXt', 'iTXt', 'iCCP']);

/**
 * Walks the chunks of a PNG without decoding it. Refuses decompression bombs: a zTXt, iTXt or
 * iCCP chunk is inflated with a `maxOutputLength` cap, so a 250 KB chunk that would expand to
 * 256 MiB costs at most the cap in memory (SECURITY.md measured 581 MB RSS in sharp without it).
 * Also refuses oversized uncompressed ancillary chunks and absurd chunk counts.
 *
 * @throws VitrineError `upload.chunk_too_large` (413) or `upload.too_many_chunks` (400).
 */
export async function scanPngChunks(reader: FileByteReader, limits: PngScanLimits = DEFAULT_PNG_SCAN_LIMITS): Promise<PngScanResult> {
  const structure: ByteRange[] = [{ start: 0, end: Math.min(8, reader.size) }];
  const inflated: Buffer[] = [];
  let total = 0;
  let count = 0;
  let pos = 8;
  while (pos + 12 <= reader.size) {
    const header = await reader.read(pos, 8);
    const length = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    if (++count > limits.maxChunks) throw MediaErrors.tooManyChunks(limits.maxChunks);
    const dataStart = pos + 8;
    const next = dataStart + length + 4;
    if (length > 0x7fffffff || next > reader.size) {
      // A chunk that runs past the end: let the decoder call it truncated; scan what is there.
      structure.push({ start: pos, end: reader.size });
      return { structure, inflated };
    }
    if (!PIXEL_CHUNKS.has(type)) {
      if (length > limits.maxChunkPayloadBytes) throw MediaErrors.compressedChunkTooLarge(type, limits.maxChunkPayloadBytes);
      structure.push({ start: pos, end: next });
      if (COMPRESSED_CHUNKS.has(type)) {
        const payload = inflateChunk(type, await reader.read(dataStart, length), limits.maxChunkPayloadBytes);
        if (payload) inflated.push(payload);
        total += payload?.length ?? 0;
      } else if (type === 'tEXt') {
        total += length;
      }
      if (total > limits.maxTotalPayloadBytes) throw MediaErrors.compressedChunkTooLarge('text', limits.maxTotalPayloadBytes);
    }
    pos = next;
    if (type === 'IEND') break;
  }
  if (pos < reader.size) structure.push({ start: pos, end: reader.size });
  return { structure, inflated };
}

/**
 * Inflates the compressed part of a zTXt (`keyword\0 method data`), iTXt
 * (`keyword\0 flag method lang\0 translated\0 data`) or iCCP (`name\0 method data`) chunk.
 * Returns undefined when the chunk is not compressed or its stream is invalid (libpng ignores
 * such ancillary chunks); throws when it inflates past `limit`.
 */
function inflateChunk(type: string, data: Buffer, limit: number): Buffer | undefined {
  let at = data.indexOf(0);
  if (at < 0) return undefined;
  if (type === 'iTXt') {
    const compressed = data[at + 1] === 1;
    at = data.indexOf(0, at + 3); // language tag
    if (at < 0) return undefined;
    at = data.indexOf(0, at + 1); // translated keyword
    if (at < 0 || !compressed) return undefined;
    return inflateCapped(type, data.subarray(at + 1), limit);
  }
  return inflateCapped(type, data.subarray(at + 2), limit);
}

function inflateCapped(type: string, compressed: Buffer, limit: number): Buffer | undefined {
  try {
    return inflateSync(compressed, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw MediaErrors.compressedChunkTooLarge(type, limit);
    }
    return undefined;
  }
}
