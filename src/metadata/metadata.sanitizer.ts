import { METADATA_LIMITS, type JsonObject, type JsonValue } from './metadata.model.js';

/**
 * Pure functions that turn whatever a metadata parser produced into values safe to store. None of
 * them throws: a value that cannot be made sane becomes `null` (or is left out).
 */

export interface TextOptions {
  /** Keep line breaks (descriptions); otherwise all whitespace runs become one space. */
  multiline?: boolean;
  /** Decode XML character references (`&amp;`, `&#233;`): XMP values arrive undecoded. */
  xml?: boolean;
  /** Re-decode Latin-1-looking strings that are really UTF-8 (IPTC, EXIF ASCII). */
  repairLatin1?: boolean;
}

const utf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A clean string of at most `maxLength` code points, or null when nothing printable is left:
 * invalid UTF-8 and lone surrogates become U+FFFD; U+0000 and all other C0/C1 controls, DEL,
 * BOM, non-characters and bidi override/isolate controls (spoofing) are removed; text is NFC
 * normalised and trimmed. Numbers are accepted and printed; arrays and objects are not text.
 */
export function cleanText(value: unknown, maxLength: number, options: TextOptions = {}): string | null {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (value instanceof Uint8Array) text = utf8.decode(value);
  else return null;
  if (text.length > maxLength * 8 + 1024) text = text.slice(0, maxLength * 8 + 1024); // bound the work below
  if (options.repairLatin1) text = repairLatin1(text);
  if (options.xml) text = decodeXmlReferences(text);
  text = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  text = text.replace(/\r\n?/g, '\n');
  text = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFEFF\uFFFE\uFFFF\u202A-\u202E\u2066-\u2069]/g, '');
  text = text.normalize('NFC');
  if (options.multiline) {
    text = text
      .replace(/[^\S\n]+/g, ' ')
      .replace(/ *\n */g, '\n')
      .replace(/\n{3,}/g, '\n\n');
  } else {
    text = text.replace(/\s+/g, ' ');
  }
  text = text.trim();
  if (text === '') return null;
  return truncate(text, maxLength);
}

/** Cuts at `maxLength` code points without splitting a surrogate pair. */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const points = Array.from(text);
  return points.length <= maxLength ? text : points.slice(0, maxLength).join('').trimEnd();
}

/**
 * exifr decodes IPTC as Latin-1. When every character fits in a byte and those bytes form valid
 * UTF-8 with at least one multi-byte sequence, the text was UTF-8: decode it as such. Real
 * Latin-1 (`caf\xE9`) is not valid UTF-8 and stays as it is.
 */
export function repairLatin1(text: string): string {
  if (!/[\u0080-\u00FF]/.test(text) || /[^\u0000-\u00FF]/.test(text)) return text;
  try {
    return strictUtf8.decode(Buffer.from(text, 'latin1'));
  } catch {
    return text;
  }
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric references; anything else (`&xxe;`) stays literal. */
export function decodeXmlReferences(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (name) return NAMED_ENTITIES[name] ?? whole;
    const code = dec ? Number(dec) : Number.parseInt(hex ?? '', 16);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
  });
}

/** A finite number within `[min, max]` (strings of digits and one-element arrays accepted). */
export function cleanNumber(value: unknown, range: { min: number; max: number; integer?: boolean; exclusiveMin?: boolean }): number | null {
  let n: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof n === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(n)) n = Number(n);
  if (typeof n === 'string' && /^\s*\d+\s*\/\s*\d+\s*$/.test(n)) {
    const [num, den] = n.split('/').map(Number);
    n = (num ?? Number.NaN) / (den ?? Number.NaN);
  }
  if (typeof n !== 'number' || !Number.isFinite(n)) return null;
  if (range.integer) n = Math.round(n);
  const number = n as number;
  if (number < range.min || number > range.max || (range.exclusiveMin && number === range.min)) return null;
  return number;
}

/** 0–5 stars; −1 (Lightroom "rejected") and anything else out of range become null. */
export function cleanRating(value: unknown): number | null {
  return cleanNumber(value, { min: 0, max: 5, integer: true });
}

/** EXIF orientation 1–8, else null. */
export function cleanOrientation(value: unknown): number | null {
  const n = cleanNumber(value, { min: 1, max: 8 });
  return n !== null && Number.isInteger(n) ? n : null;
}

/**
 * Latitude/longitude within range; dropped together when either is impossible, or when both are
 * exactly 0 (the "Null Island" a GPS without a fix writes).
 */
export function cleanGps(latitude: unknown, longitude: unknown): { latitude: number; longitude: number } | null {
  const lat = cleanNumber(latitude, { min: -90, max: 90 });
  const lon = cleanNumber(longitude, { min: -180, max: 180 });
  if (lat === null || lon === null || (lat === 0 && lon === 0)) return null;
  return { latitude: lat, longitude: lon };
}

/**
 * Builds the tag list from several sources, each with its own text options: flattens, splits a
 * single string on `,`/`;`, cleans each tag (single line, capped at 100), drops empties,
 * deduplicates case-insensitively keeping the first spelling, and keeps at most `maxTags`.
 */
export function cleanTags(sources: Array<[values: unknown, options?: TextOptions]>, maxTags: number = METADATA_LIMITS.tags): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const [values, options] of sources) {
    const list = Array.isArray(values) ? values : typeof values === 'string' ? values.split(/[,;]/) : [];
    for (const raw of list.slice(0, maxTags * 20)) {
      if (tags.length >= maxTags) return tags;
      const tag = cleanText(raw, METADATA_LIMITS.tagLength, options);
      if (!tag) continue;
      const key = tag.toLocaleLowerCase('und');
      if (seen.has(key)) continue;
      seen.add(key);
      tags.push(tag);
    }
  }
  return tags;
}

/**
 * A bounded JSON-safe copy: strings cleaned and capped, non-finite numbers, binary data,
 * functions and undefined dropped, dates as ISO strings, arrays capped, depth capped, keys
 * restricted to `[A-Za-z0-9_:.-]` (64 chars). Fields are added in order until the serialised
 * size would pass `maxBytes`; then `_truncated: true` is set.
 */
export function toBoundedJson(value: Record<string, unknown>, maxBytes: number = METADATA_LIMITS.rawBytes, options: TextOptions = {}): JsonObject {
  const out: JsonObject = {};
  let used = 2;
  for (const [key, entry] of Object.entries(value)) {
    const safeKey = cleanKey(key);
    const safe = safeKey === null ? undefined : toJson(entry, 1, options);
    if (safeKey === null || safe === undefined) continue;
    const cost = Buffer.byteLength(JSON.stringify(safeKey)) + Buffer.byteLength(JSON.stringify(safe)) + 2;
    if (used + cost > maxBytes - 20) {
      out._truncated = true;
      continue;
    }
    out[safeKey] = safe;
    used += cost;
  }
  return out;
}

function toJson(value: unknown, depth: number, options: TextOptions): JsonValue | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return cleanText(value, METADATA_LIMITS.rawString, { ...options, multiline: true }) ?? undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return undefined;
  if (depth >= METADATA_LIMITS.rawDepth) return undefined;
  if (Array.isArray(value)) {
    const items = value.slice(0, METADATA_LIMITS.rawArray).map((item) => toJson(item, depth + 1, options));
    return items.filter((item): item is JsonValue => item !== undefined);
  }
  const out: JsonObject = {};
  for (const [key, entry] of Object.entries(value).slice(0, 200)) {
    const safeKey = cleanKey(key);
    const safe = safeKey === null ? undefined : toJson(entry, depth + 1, options);
    if (safeKey !== null && safe !== undefined) out[safeKey] = safe;
  }
  return out;
}

function cleanKey(key: string): string | null {
  return /^[A-Za-z0-9_:.-]{1,64}$/.test(key) && key !== '__proto__' ? key : null;
}
