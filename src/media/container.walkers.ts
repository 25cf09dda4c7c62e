import type { ByteRange, FileByteReader } from './byte-reader.js';

/**
 * Structure walkers: for each container format, the byte ranges that are *not* compressed pixel
 * data (headers, metadata, comments, extension blocks, trailing bytes). The markup scanner reads
 * these with its strict pattern. Walkers never throw on malformed input: when the structure stops
 * making sense, the rest of the file is returned as one structure range (so nothing escapes the
 * scan) and the decoder later decides whether the image is readable.
 */
export type StructureWalker = (reader: FileByteReader, start?: number) => Promise<ByteRange[]>;

const MAX_EMBEDDED_IMAGES = 16;

/**
 * JPEG: every marker segment is structure; entropy-coded data after each SOS is skipped up to the
 * next real marker. After EOI, embedded JPEGs (MPF, gain maps) are walked the same way and an
 * appended MP4 (motion photos) by its boxes; any other trailer is structure.
 */
export async function walkJpeg(reader: FileByteReader, start = 0, depth = 0): Promise<ByteRange[]> {
  const ranges: ByteRange[] = [];
  let pos = start + 2;
  while (pos < reader.size) {
    if ((await reader.byteAt(pos)) !== 0xff) return [...ranges, { start: pos, end: reader.size }];
    while ((await reader.byteAt(pos + 1)) === 0xff) pos++;
    const marker = await reader.byteAt(pos + 1);
    if (marker === 0xd9) return [...ranges, ...(await walkTrailer(reader, pos + 2, depth))];
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      pos += 2;
      continue;
    }
    const head = await reader.read(pos + 2, 2);
    const length = head.length === 2 ? head.readUInt16BE(0) : 0;
    if (length < 2 || pos + 2 + length > reader.size) return [...ranges, { start: pos, end: reader.size }];
    ranges.push({ start: pos, end: pos + 2 + length });
    pos += 2 + length;
    if (marker === 0xda) pos = await skipEntropyCoded(reader, pos);
  }
  return ranges;
}

/** Entropy-coded data is megabytes read front to back: read it in large pieces. */
const ENTROPY_READ_AHEAD = 1024 * 1024;

/** Position of the next marker that is not a stuffed 0xFF00 or a restart marker. */
async function skipEntropyCoded(reader: FileByteReader, from: number): Promise<number> {
  let pos = from;
  while (pos < reader.size) {
    const { base, bytes } = await reader.windowAt(pos, 2, ENTROPY_READ_AHEAD);
    let i = pos - base;
    for (;;) {
      i = bytes.indexOf(0xff, i);
      if (i < 0 || i + 1 >= bytes.length) break;
      const next = bytes[i + 1] ?? 0;
      if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return base + i;
      i += 1;
    }
    const scanned = base + bytes.length - 1; // re-check a 0xFF on the window edge
    if (scanned <= pos) return reader.size;
    pos = scanned;
  }
  return reader.size;
}

async function walkTrailer(reader: FileByteReader, from: number, depth: number): Promise<ByteRange[]> {
  if (from >= reader.size) return [];
  const head = await reader.read(from, 512);
  const jpegAt = head.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
  if (jpegAt >= 0 && depth < MAX_EMBEDDED_IMAGES) {
    const before = jpegAt > 0 ? [{ start: from, end: from + jpegAt }] : [];
    return [...before, ...(await walkJpeg(reader, from + jpegAt, depth + 1))];
  }
  const ftypAt = head.indexOf('ftyp', 0, 'latin1');
  if (ftypAt >= 4) {
    const boxStart = from + ftypAt - 4;
    const before = boxStart > from ? [{ start: from, end: boxStart }] : [];
    return [...before, ...(await walkIsoBmff(reader, boxStart))];
  }
  return [{ start: from, end: reader.size }];
}

/**
 * GIF: header, colour tables and every extension block (comments, application data, plain text)
 * are structure; LZW image data is skipped.
 */
export async function walkGif(reader: FileByteReader): Promise<ByteRange[]> {
  const ranges: ByteRange[] = [];
  const screen = await reader.read(0, 13);
  if (screen.length < 13) return [{ start: 0, end: reader.size }];
  let pos = 13 + colourTableSize(screen[10] ?? 0);
  ranges.push({ start: 0, end: pos });
  while (pos < reader.size) {
    const introducer = await reader.byteAt(pos);
    if (introducer === 0x21) {
      const end = await skipSubBlocks(reader, pos + 2);
      ranges.push({ start: pos, end });
      pos = end;
    } else if (introducer === 0x2c) {
      const descriptor = await reader.read(pos, 10);
      const dataStart = pos + 10 + colourTableSize(descriptor[9] ?? 0);
      ranges.push({ start: pos, end: Math.min(dataStart + 1, reader.size) });
      pos = await skipSubBlocks(reader, dataStart + 1);
    } else if (introducer === 0x3b) {
      if (pos + 1 < reader.size) ranges.push({ start: pos + 1, end: reader.size });
      return ranges;
    } else {
      ranges.push({ start: pos, end: reader.size });
      return ranges;
    }
  }
  return ranges;
}

function colourTableSize(packed: number): number {
  return packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0;
}

/** Skips GIF data sub-blocks (`len, data…` until a zero length); returns the position after. */
async function skipSubBlocks(reader: FileByteReader, from: number): Promise<number> {
  let pos = from;
  while (pos < reader.size) {
    const { base, bytes } = await reader.windowAt(pos, 256);
    let i = pos - base;
    while (i < bytes.length) {
      const length = bytes[i] ?? 0;
      if (length === 0) return base + i + 1;
      i += length + 1;
    }
    pos = base + i;
  }
  return reader.size;
}

/** WebP (RIFF): every chunk except VP8/VP8L/ALPH/ANMF pixel data is structure, plus any trailer. */
export async function walkWebp(reader: FileByteReader): Promise<ByteRange[]> {
  const ranges: ByteRange[] = [{ start: 0, end: Math.min(12, reader.size) }];
  const riff = await reader.read(4, 4);
  const riffEnd = riff.length === 4 ? Math.min(reader.size, 8 + riff.readUInt32LE(0)) : reader.size;
  let pos = 12;
  while (pos + 8 <= riffEnd) {
    const header = await reader.read(pos, 8);
    const type = header.toString('latin1', 0, 4);
    const end = pos + 8 + header.readUInt32LE(4) + (header.readUInt32LE(4) % 2);
    if (!['VP8 ', 'VP8L', 'ALPH', 'ANMF'].includes(type)) ranges.push({ start: pos, end: Math.min(end, reader.size) });
    else ranges.push({ start: pos, end: pos + 8 });
    pos = end;
  }
  if (pos < reader.size) ranges.push({ start: Math.min(pos, riffEnd), end: reader.size });
  return ranges;
}

/** ISO BMFF (AVIF, appended MP4): top-level boxes are structure except `mdat`. */
export async function walkIsoBmff(reader: FileByteReader, start = 0): Promise<ByteRange[]> {
  const ranges: ByteRange[] = [];
  let pos = start;
  while (pos + 8 <= reader.size) {
    const header = await reader.read(pos, 16);
    let size = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    let headerSize = 8;
    if (size === 1 && header.length === 16) {
      size = Number(header.readBigUInt64BE(8));
      headerSize = 16;
    } else if (size === 0) {
      size = reader.size - pos;
    }
    if (size < headerSize || pos + size > reader.size) return [...ranges, { start: pos, end: reader.size }];
    ranges.push({ start: pos, end: type === 'mdat' ? pos + headerSize : pos + size });
    pos += size;
  }
  if (pos < reader.size) ranges.push({ start: pos, end: reader.size });
  return ranges;
}

/**
 * Classic TIFF: everything except strip and tile data of the IFD chain is structure. BigTIFF is
 * not walked (returns no ranges), so only the whole-file pattern applies to it.
 */
export async function walkTiff(reader: FileByteReader): Promise<ByteRange[]> {
  const head = await reader.read(0, 8);
  if (head.length < 8 || head.readUInt16LE(2) === 43 || head.readUInt16BE(2) === 43) return [];
  const le = head.toString('latin1', 0, 2) === 'II';
  const u16 = (b: Buffer, at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const pixels: ByteRange[] = [];
  const seen = new Set<number>();
  for (let ifd = u32(head, 4); ifd > 0 && ifd < reader.size && !seen.has(ifd) && seen.size < 1024; ) {
    seen.add(ifd);
    const count = u16(await reader.read(ifd, 2), 0);
    const entries = await reader.read(ifd + 2, count * 12 + 4);
    const values = new Map<number, number[]>();
    for (let e = 0; e + 12 <= count * 12 && e + 12 <= entries.length; e += 12) {
      const tag = u16(entries, e);
      if (![273, 279, 324, 325].includes(tag)) continue;
      const type = u16(entries, e + 2);
      const n = Math.min(u32(entries, e + 4), 1_000_000);
      const width = type === 3 ? 2 : 4;
      const data = n * width <= 4 ? entries.subarray(e + 8, e + 12) : await reader.read(u32(entries, e + 8), n * width);
      const list: number[] = [];
      for (let k = 0; k < n && (k + 1) * width <= data.length; k++) list.push(width === 2 ? u16(data, k * width) : u32(data, k * width));
      values.set(tag, list);
    }
    for (const [offsets, counts] of [[273, 279], [324, 325]] as const) {
      const o = values.get(offsets) ?? [];
      const c = values.get(counts) ?? [];
      for (let k = 0; k < o.length && k < c.length; k++) pixels.push({ start: o[k] ?? 0, end: (o[k] ?? 0) + (c[k] ?? 0) });
    }
    ifd = entries.length >= count * 12 + 4 ? u32(entries, count * 12) : 0;
  }
  return complement(pixels, reader.size);
}

/** The parts of `[0, size)` not covered by `taken`. */
export function complement(taken: ByteRange[], size: number): ByteRange[] {
  const sorted = [...taken].sort((a, b) => a.start - b.start);
  const free: ByteRange[] = [];
  let at = 0;
  for (const range of sorted) {
    if (range.start > at) free.push({ start: at, end: Math.min(range.start, size) });
    at = Math.max(at, range.end);
  }
  if (at < size) free.push({ start: at, end: size });
  return free.filter((r) => r.end > r.start);
}
