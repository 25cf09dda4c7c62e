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

/**
 * Searches one buffer; `offset` is where it sits in the file. {@link FILE_MARKUP} (every byte of
 * every upload) goes through {@link findFileMarkup}, which gives the same answer as the regular
 * expression without turning megabytes into strings; any other pattern is run as a regex over
 * the latin1 text.
 */
export function findMarkup(bytes: Uint8Array, pattern: RegExp, offset = 0): MarkupHit | undefined {
  if (pattern === FILE_MARKUP) return findFileMarkup(bytes, offset);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const match = pattern.exec(text);
  if (!match) return undefined;
  return { token: describeToken(match[0]), offset: offset + match.index };
}

/** `\s` of a JavaScript regex, restricted to latin1: TAB, LF, VT, FF, CR, space, NBSP. */
const SPACE = new Uint8Array(256);
for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0]) SPACE[c] = 1;
/** The `[\s/>]` after a tag name. */
const TAG_END = Uint8Array.from(SPACE);
TAG_END[0x2f] = 1;
TAG_END[0x3e] = 1;
const TAG_NAMES = ['script', 'html', 'body', 'iframe', 'object', 'embed'].map((name) => Buffer.from(name, 'latin1'));
const PHP = Buffer.from('php', 'latin1');
const DOCTYPE = Buffer.from('doctype', 'latin1');
const HTML = Buffer.from('html', 'latin1');

/** ASCII letters compared case-insensitively, like a non-unicode `/i` regex (no latin1 letter folds to ASCII). */
function matchesWord(bytes: Uint8Array, at: number, word: Uint8Array): boolean {
  if (at + word.length > bytes.length) return false;
  for (let k = 0; k < word.length; k++) {
    const b = bytes[at + k]!;
    if ((b >= 0x41 && b <= 0x5a ? b | 0x20 : b) !== word[k]) return false;
  }
  return true;
}

/** End (exclusive) of a {@link FILE_MARKUP} match starting at the `<` at `at`, or -1. */
function fileMarkupEnd(bytes: Uint8Array, at: number): number {
  const next = bytes[at + 1];
  if (next === 0x3f) {
    // <?php\s
    return matchesWord(bytes, at + 2, PHP) && SPACE[bytes[at + 5] ?? 0x100] === 1 ? at + 6 : -1;
  }
  if (next === 0x21) {
    // <!doctype\s+html — the whitespace run is unbounded, like the regex's
    if (!matchesWord(bytes, at + 2, DOCTYPE)) return -1;
    let k = at + 9;
    while (k < bytes.length && SPACE[bytes[k]!] === 1) k++;
    return k > at + 9 && matchesWord(bytes, k, HTML) ? k + 4 : -1;
  }
  for (const name of TAG_NAMES) {
    if (matchesWord(bytes, at + 1, name) && TAG_END[bytes[at + 1 + name.length] ?? 0x100] === 1) return at + 2 + name.length;
  }
  return -1;
}

/**
 * {@link FILE_MARKUP} without a regex: every alternative starts with `<`, so only the `<` bytes
 * (found with `indexOf`, i.e. memchr) are looked at, and no string is built unless there is a
 * hit. Same first match (token and offset) as `FILE_MARKUP.exec` over the buffer's latin1 text;
 * markup.scanner.spec.ts checks the two against each other on generated inputs.
 */
export function findFileMarkup(bytes: Uint8Array, offset = 0): MarkupHit | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = buffer.indexOf(0x3c); at >= 0; at = buffer.indexOf(0x3c, at + 1)) {
    const end = fileMarkupEnd(buffer, at);
    if (end >= 0) return { token: describeToken(buffer.toString('latin1', at, end)), offset: offset + at };
  }
  return undefined;
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
