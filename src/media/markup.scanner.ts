import type { ByteRange, FileByteReader } from './byte-reader.js';

/**
 * Polyglot detection: an image that is also a web page or script. A browser, a misconfigured
 * proxy or an old MIME sniffer that treats the bytes as HTML would run the markup, so such files
 * are refused even though they decode as images.
 *
 * The rule has two tiers, because the pixel data of a compressed image is close to random bytes
 * and short tokens would match it by chance:
 *
 * - {@link STRUCTURE_MARKUP} is searched in everything that is *not* compressed pixel data: headers,
 *   metadata segments (EXIF, IPTC, XMP, ICC), comments, PNG text chunks (inflated), GIF extensions
 *   and anything after the end of the image. These bytes are structured text or small binary
 *   tables, where `<svg`, `<!doctype`, `<!entity` or an `on…=` event handler inside a tag never
 *   appear legitimately.
 * - {@link FILE_MARKUP} is searched in every byte of the file, pixel data included, so a payload
 *   cannot hide in the entropy-coded stream. It only holds tokens of five or more fixed characters
 *   plus a delimiter: the chance that uniformly random bytes contain one is about 4·10⁻¹³ per
 *   byte, i.e. roughly one false refusal per 250 000 uploads of 10 MB.
 *
 * Matching is ASCII case-insensitive. UTF-16 markup is not detected (browsers do not sniff it
 * into HTML from an image either).
 */
export const STRUCTURE_MARKUP =
  /<(?:script|html|body|iframe|object|embed|svg|meta)[\s/>]|<\?php|<!doctype|<!entity|<[a-z][^<>]{0,200}?[\s/"']on[a-z]{3,20}\s*=/i;

/** See {@link STRUCTURE_MARKUP}: the tokens safe to look for in compressed pixel data too. */
export const FILE_MARKUP = /<(?:script|html|body|iframe|object|embed)[\s/>]|<\?php\s|<!doctype\s+html/i;

/** Longest span a {@link STRUCTURE_MARKUP} match can cover; chunks overlap by this much. */
const MAX_MATCH = 256;

/** A markup token found in a file, with its byte offset (for logs; never shown to users). */
export interface MarkupHit {
  token: string;
  offset: number;
}

/** Searches one buffer; `offset` is where it sits in the file. */
export function findMarkup(bytes: Uint8Array, pattern: RegExp, offset = 0): MarkupHit | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const match = pattern.exec(text);
  if (!match) return undefined;
  return { token: describeToken(match[0]), offset: offset + match.index };
}

/**
 * Streams `ranges` of the file through {@link findMarkup}; stops at the first hit. Ranges closer
 * than {@link COALESCE_GAP} bytes are merged first (GIFs produce one range per frame).
 */
export async function scanRanges(reader: FileByteReader, ranges: Iterable<ByteRange>, pattern: RegExp): Promise<MarkupHit | undefined> {
  for (const range of coalesce(ranges)) {
    if (range.end - range.start <= 64 * 1024) {
      const hit = findMarkup(await reader.read(range.start, range.end - range.start), pattern, range.start);
      if (hit) return hit;
      continue;
    }
    for await (const { offset, bytes } of reader.stream(range, 1024 * 1024, MAX_MATCH)) {
      const hit = findMarkup(bytes, pattern, offset);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** Ranges separated by fewer bytes than this are scanned as one. */
const COALESCE_GAP = 64;

/** Sorts and merges overlapping or nearly adjacent ranges. */
export function coalesce(ranges: Iterable<ByteRange>): ByteRange[] {
  const sorted = [...ranges].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const merged: ByteRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start - last.end <= COALESCE_GAP) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** `<SCRIPT>` → `<script`, `<img src=x onerror=` → `onerror=`: a short, printable token name. */
function describeToken(raw: string): string {
  const handler = /[\s/"'](on[a-z]{3,20})\s*=$/i.exec(raw);
  if (handler?.[1] && !/^<(?:script|html|body|iframe|object|embed|svg|meta)[\s/>]/i.test(raw)) return `${handler[1].toLowerCase()}=`;
  const tag = /^<[!?%]?[a-z]*/i.exec(raw);
  return (tag?.[0] ?? raw.slice(0, 10)).toLowerCase();
}
