/**
 * What a ws.php method returns, modelled on the PHP values Piwigo's encoders receive, so one result
 * encodes for JSON, XML (`rest`), `php` and `xmlrpc` alike.
 *
 * - A JS array is a PHP list. A plain object or a `Map` is a PHP array with keys, in insertion order
 *   (use a `Map` when integer-like keys must keep their order); if its keys happen to be `0..n-1` in
 *   order it *is* a list, and an empty one encodes as `[]` in JSON, exactly as in PHP.
 * - `undefined` members are absent keys (PHP has no undefined); `null` is PHP null.
 * - Integral numbers (safe integers, bigint) are PHP ints; other numbers are PHP floats.
 * - {@link PwgNamedArray} / {@link PwgNamedStruct} carry the XML hints of Piwigo's classes of the
 *   same name; JSON ignores them. A `attributes_xml_` key ({@link WS_XML_ATTRIBUTES}) is merged
 *   into its struct for JSON and written as XML attributes, as Piwigo does for `rates`.
 */

/** Piwigo's `WS_XML_ATTRIBUTES` key. */
export const WS_XML_ATTRIBUTES = 'attributes_xml_';

export type WsScalar = string | number | bigint | boolean | null;
/** Any value an encoder accepts. */
export type WsValue =
  | WsScalar
  | undefined
  | readonly WsValue[]
  | WsStruct
  | WsMap
  | PwgNamedArray
  | PwgNamedStruct;
/** A PHP array with string keys, as a plain object. */
export interface WsStruct {
  readonly [key: string]: WsValue;
}
/** A PHP array with keys whose order matters (e.g. integer keys), as a Map. */
export type WsMap = ReadonlyMap<string | number, WsValue>;

/**
 * Piwigo's `PwgNamedArray($arr, $itemName, $xmlAttributes)`: a list whose XML form is one
 * `<itemName>` element per item, the listed keys of each item written as attributes (in the item's
 * key order), the others as child elements.
 */
export class PwgNamedArray {
  readonly xmlAttributes: ReadonlySet<string>;

  constructor(
    readonly content: readonly WsValue[],
    readonly itemName: string,
    xmlAttributes: readonly string[] = [],
  ) {
    this.xmlAttributes = new Set(xmlAttributes);
  }
}

/**
 * Piwigo's `PwgNamedStruct($content, $xmlAttributes = null, $xmlElements = null)`: a struct whose
 * listed keys become XML attributes of the enclosing element. Without a list, every non-empty key
 * holding a scalar or null becomes an attribute, except those in `xmlElements`.
 */
export class PwgNamedStruct {
  readonly xmlAttributes: ReadonlySet<string>;

  constructor(
    readonly content: WsStruct | WsMap,
    xmlAttributes?: readonly string[] | null,
    xmlElements?: readonly string[] | null,
  ) {
    if (xmlAttributes) {
      this.xmlAttributes = new Set(xmlAttributes);
      return;
    }
    const auto = new Set<string>();
    for (const [key, value] of structEntries(content)) {
      const emptyKey = key === '' || key === '0'; // PHP empty()
      if (!emptyKey && isScalarOrNull(value) && !(xmlElements ?? []).includes(key)) auto.add(key);
    }
    this.xmlAttributes = auto;
  }
}

/** `is_scalar($v) or is_null($v)`. */
export function isScalarOrNull(value: WsValue): value is WsScalar {
  return value === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof value);
}

/** True for the values that are PHP arrays with keys (plain objects and Maps). */
export function isStructLike(value: unknown): value is WsStruct | WsMap {
  if (value instanceof Map) return true;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The present entries of a struct or map, in PHP order, keys as strings, `undefined` dropped. */
export function structEntries(value: WsStruct | WsMap): Array<[string, WsValue]> {
  const entries: Array<[string, WsValue]> = [];
  const source = value instanceof Map ? value.entries() : Object.entries(value as WsStruct);
  for (const [key, item] of source as Iterable<[string | number, WsValue]>) {
    if (item !== undefined) entries.push([String(key), item]);
  }
  return entries;
}

/** PHP's list test: keys are exactly 0..n-1 in order (an empty array counts as a list). */
export function isListLike(entries: ReadonlyArray<readonly [string, WsValue]>): boolean {
  return entries.every(([key], i) => key === String(i));
}

/**
 * `array_merge($struct, $struct['attributes_xml_'])` then unset: what Piwigo's flatten does before
 * JSON/PHP/XML-RPC encoding. String keys are overwritten in place, new keys appended.
 */
export function mergeXmlAttributes(entries: Array<[string, WsValue]>): Array<[string, WsValue]> {
  const index = entries.findIndex(([key]) => key === WS_XML_ATTRIBUTES);
  if (index === -1) return entries;
  const attrs = entries[index]![1];
  if (attrs === null || !isStructLike(attrs)) return entries;
  const merged = new Map(entries);
  for (const [key, value] of structEntries(attrs)) merged.set(key, value);
  merged.delete(WS_XML_ATTRIBUTES);
  return [...merged.entries()];
}

/** Options of {@link dbRow}: which columns the PHP code casts (`(int)`, `(float)`, booleans). */
export interface DbRowCasts<K extends string> {
  readonly int?: readonly K[];
  readonly float?: readonly K[];
  readonly bool?: readonly K[];
  /** Columns passed through untouched (already shaped values, nested structures). */
  readonly keep?: readonly K[];
  /** How a Date is written; default `YYYY-MM-DD HH:MM:SS` in UTC. */
  readonly date?: (value: Date) => string;
}

/**
 * Shapes a row like Piwigo's mysqli fetch: every column is a string (or null) unless the PHP code
 * casts it. Numbers become PHP strings (`5` → `"5"`), booleans `"true"`/`"false"` (Piwigo's enum
 * columns), Dates MySQL datetimes. Casts keep null as null (Piwigo guards its casts with isset).
 * Fixed-scale decimals (`"43.000000"`) must be passed already formatted.
 */
export function dbRow<T extends Record<string, unknown>>(row: T, casts: DbRowCasts<Extract<keyof T, string>> = {}): WsStruct {
  const out: Record<string, WsValue> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    const k = key as Extract<keyof T, string>;
    if (casts.keep?.includes(k)) out[key] = value as WsValue;
    else if (value === null) out[key] = null;
    else if (casts.int?.includes(k)) out[key] = Math.trunc(Number(value));
    else if (casts.float?.includes(k)) out[key] = Number(value);
    else if (casts.bool?.includes(k)) out[key] = value === true || value === 'true' || (typeof value === 'number' && value !== 0);
    else out[key] = dbString(value, casts.date);
  }
  return out;
}

/** One value as mysqli would return it (see {@link dbRow}). */
export function dbString(value: unknown, formatDate: (value: Date) => string = mysqlUtcDateTime): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return formatDate(value);
  throw new TypeError(`dbString cannot shape a ${typeof value}`);
}

/** `YYYY-MM-DD HH:MM:SS` of a Date in UTC. */
export function mysqlUtcDateTime(value: Date): string {
  return value.toISOString().slice(0, 19).replace('T', ' ');
}
