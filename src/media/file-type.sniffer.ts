import { open } from 'node:fs/promises';

/**
 * Magic-byte sniffing: what a file *is*, decided from its first bytes only, never from its name
 * or the client's Content-Type. Only the six formats in {@link IMAGE_FORMATS} are images for us;
 * everything else gets a human label (used in the refusal message) so people learn why.
 */

/** The image formats the pipeline accepts. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff';

/** What we know about each accepted format: the MIME type to serve and the storage extension. */
export const IMAGE_FORMATS: Readonly<Record<ImageFormat, { mime: string; ext: string; label: string }>> = {
  jpeg: { mime: 'image/jpeg', ext: 'jpg', label: 'JPEG' },
  png: { mime: 'image/png', ext: 'png', label: 'PNG' },
  webp: { mime: 'image/webp', ext: 'webp', label: 'WebP' },
  avif: { mime: 'image/avif', ext: 'avif', label: 'AVIF' },
  gif: { mime: 'image/gif', ext: 'gif', label: 'GIF' },
  tiff: { mime: 'image/tiff', ext: 'tif', label: 'TIFF' },
};

/** Outcome of {@link sniffFileType}. `heic` is separate because its refusal message differs. */
export type SniffResult = { kind: 'image'; format: ImageFormat } | { kind: 'heic' } | { kind: 'other'; label: string };

/** How many leading bytes {@link sniffFileType} wants (it copes with fewer). */
export const SNIFF_BYTES = 4096;

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'mif2']);

const BINARY_SIGNATURES: ReadonlyArray<[bytes: number[] | string, label: string, offset?: number]> = [
  ['%PDF-', 'PDF'],
  ['PK\x03\x04', 'ZIP archive'],
  ['PK\x05\x06', 'ZIP archive'],
  ['PK\x07\x08', 'ZIP archive'],
  [[0x1f, 0x8b], 'GZIP archive'],
  ['7z\xbc\xaf\x27\x1c', '7-Zip archive'],
  ['Rar!\x1a\x07', 'RAR archive'],
  ['8BPS', 'Photoshop PSD'],
  ['qoif', 'QOI'],
  ['FUJIFILMCCD-RAW', 'Fujifilm RAF raw'],
  [[0x7f, 0x45, 0x4c, 0x46], 'ELF executable'],
  ['MZ', 'Windows executable'],
  ['OggS', 'Ogg media'],
  ['ID3', 'MP3 audio'],
  ['fLaC', 'FLAC audio'],
  [[0xff, 0x0a], 'JPEG XL'],
  [[0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20], 'JPEG XL'],
  [[0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20], 'JPEG 2000'],
  [[0, 0, 1, 0], 'ICO'],
  ['BM', 'BMP'],
];

/**
 * Identifies a file from its leading bytes (pass at least {@link SNIFF_BYTES} when the file has
 * them). Pure and synchronous; never throws.
 */
export function sniffFileType(head: Uint8Array): SniffResult {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length === 0) return { kind: 'other', label: 'empty file' };
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', format: 'png' };
  if (startsWith(b, 'GIF87a') || startsWith(b, 'GIF89a')) return { kind: 'image', format: 'gif' };
  if (startsWith(b, 'RIFF') && b.length >= 12) {
    const riffType = b.toString('latin1', 8, 12);
    if (riffType === 'WEBP') return { kind: 'image', format: 'webp' };
    if (riffType === 'WAVE') return { kind: 'other', label: 'WAV audio' };
    if (riffType === 'AVI ') return { kind: 'other', label: 'AVI video' };
    return { kind: 'other', label: 'RIFF media' };
  }
  if (startsWith(b, 'II*\0') || startsWith(b, 'MM\0*') || startsWith(b, 'II+\0') || startsWith(b, 'MM\0+')) {
    if (b.toString('latin1', 8, 10) === 'CR') return { kind: 'other', label: 'Canon CR2 raw' };
    return { kind: 'image', format: 'tiff' };
  }
  if (b.length >= 12 && b.toString('latin1', 4, 8) === 'ftyp') return sniffIsoBmff(b);
  for (const [sig, label] of BINARY_SIGNATURES) if (startsWith(b, sig)) return { kind: 'other', label };
  return { kind: 'other', label: sniffText(b) };
}

/** {@link sniffFileType} on the first {@link SNIFF_BYTES} of a file. */
export async function sniffFile(path: string): Promise<SniffResult> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return sniffFileType(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** ISO base media files (AVIF, HEIC, MP4, MOV, CR3…): decided by the `ftyp` brands. */
function sniffIsoBmff(b: Buffer): SniffResult {
  const boxSize = Math.min(b.readUInt32BE(0), b.length);
  const brands = [b.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(b.toString('latin1', at, at + 4));
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return { kind: 'image', format: 'avif' };
  if (brands.some((brand) => HEIF_BRANDS.has(brand))) return { kind: 'heic' };
  if (brands.includes('crx ')) return { kind: 'other', label: 'Canon CR3 raw' };
  if (brands.includes('qt  ')) return { kind: 'other', label: 'QuickTime video' };
  if (brands.some((brand) => brand.startsWith('3g'))) return { kind: 'other', label: '3GP video' };
  return { kind: 'other', label: 'MP4 media' };
}

/** Labels text-looking content: SVG, HTML, XML, scripts, or plain text. */
function sniffText(b: Buffer): string {
  let start = 0;
  if (startsWith(b, [0xef, 0xbb, 0xbf])) start = 3;
  else if (startsWith(b, [0xff, 0xfe]) || startsWith(b, [0xfe, 0xff])) return 'UTF-16 text';
  const body = b.subarray(start);
  if (!looksLikeText(body)) return 'unknown binary data';
  const text = body.toString('latin1').toLowerCase();
  const trimmed = text.trimStart();
  if (/<svg[\s>/]/.test(text)) return 'SVG';
  if (/<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<script[\s>/]|<iframe[\s>/]|<meta[\s>/]|<title[\s>]/.test(text)) return 'HTML';
  if (trimmed.startsWith('<?php')) return 'PHP script';
  if (trimmed.startsWith('<?xml') || /^<[a-z!?]/.test(trimmed)) return 'XML';
  if (trimmed.startsWith('#!')) return 'script';
  return 'text';
}

/**
 * No NUL bytes, hardly any control characters, and either valid UTF-8 (a sequence cut at the end
 * of the sniff window is fine) or at most 5 % bytes above 0x7F (Latin-1 text).
 */
function looksLikeText(b: Buffer): boolean {
  if (b.length === 0) return false;
  let control = 0;
  let high = 0;
  for (const byte of b) {
    if (byte === 0) return false;
    if (byte >= 0x80) high++;
    else if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  if (control * 100 > b.length) return false;
  return high === 0 || high * 20 <= b.length || isUtf8(b);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(b: Buffer): boolean {
  for (let cut = 0; cut <= 3 && cut < b.length; cut++) {
    try {
      strictUtf8.decode(b.subarray(0, b.length - cut));
      return true;
    } catch {
      // try again without a possibly truncated trailing sequence
    }
  }
  return false;
}

function startsWith(b: Buffer, sig: number[] | string): boolean {
  const bytes = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : sig;
  if (b.length < bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (b[i] !== bytes[i]) return false;
  return true;
}
