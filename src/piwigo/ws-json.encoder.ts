import { phpJsonNumber } from './php/php-float.formatter.js';
import type { WsError } from './ws-error.js';
import {
  PwgNamedArray,
  PwgNamedStruct,
  isListLike,
  isStructLike,
  mergeXmlAttributes,
  structEntries,
  WS_XML_ATTRIBUTES,
  type WsValue,
} from './ws-values.js';

/** Content type of Piwigo's JSON answers (json_encoder.php, charset added by `sendResponse`). */
export const WS_JSON_CONTENT_TYPE = 'text/plain; charset=utf-8';

const NEEDS_PHP_ESCAPE = /[/\u0080-\uffff]/;
const HAS_NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII = /[\u0080-\uffff]/g;
const unicodeEscape = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * A string as PHP `json_encode` writes it with default flags: `/` → `\/`, controls and every
 * non-ASCII UTF-16 unit → `\uxxxx` (lowercase, surrogate pairs for astral characters).
 * Deviation: a lone surrogate (invalid UTF-8 in PHP, where json_encode fails) is escaped as is.
 *
 * Built on the native `JSON.stringify`, whose escapes (`\"`, `\\`, `\b\f\n\r\t`, other controls
 * as lowercase `\u00xx`, lone surrogates as `\udxxx`) are PHP's; only `/` and non-ASCII remain.
 */
export function phpJsonString(text: string): string {
  const json = JSON.stringify(text);
  if (!NEEDS_PHP_ESCAPE.test(json)) return json;
  const slashed = json.replaceAll('/', '\\/');
  return HAS_NON_ASCII.test(slashed) ? slashed.replace(NON_ASCII, unicodeEscape) : slashed;
}

/** Thrown by the fast encoder for a value PHP could not have produced; the tracked pass names where. */
class Unencodable extends Error {}

/**
 * PHP `json_encode($value)` after Piwigo's `flattenResponse` (named arrays/structs unwrapped,
 * `attributes_xml_` merged). Throws a TypeError on values PHP could not have produced.
 */
export function phpJsonEncode(value: WsValue, path = 'result'): string {
  try {
    return encodeFast(value);
  } catch (error) {
    if (error instanceof Unencodable) return encodeTracked(value, path); // throws, naming the path
    throw error;
  }
}

/** JSON of null, booleans, numbers and strings as PHP's json_encode writes them; undefined for containers. */
function encodeScalar(value: WsValue): string | undefined {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
    case 'bigint':
      return phpJsonNumber(value);
    case 'string':
      return phpJsonString(value);
  }
  return undefined;
}

/** The hot path: no path strings, plain objects walked with `for…in`. */
function encodeFast(value: WsValue): string {
  const scalar = encodeScalar(value);
  if (scalar !== undefined) return scalar;
  if (value instanceof PwgNamedArray) return encodeFast(value.content);
  if (value instanceof PwgNamedStruct) return encodeFast(value.content);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + encodeFast((value[i] as WsValue) ?? null);
    return out + ']';
  }
  if (!isStructLike(value)) throw new Unencodable();
  if (!(value instanceof Map) && Object.getPrototypeOf(value) === Object.prototype && !Object.hasOwn(value, WS_XML_ATTRIBUTES)) {
    const struct = value as Record<string, WsValue>;
    let list = true;
    let n = 0;
    for (const key in struct) {
      if (struct[key] === undefined) continue;
      if (key !== String(n++)) {
        list = false;
        break;
      }
    }
    let out = '';
    let first = true;
    for (const key in struct) {
      const item = struct[key];
      if (item === undefined) continue;
      out += (first ? '' : ',') + (list ? '' : `${phpJsonString(key)}:`) + encodeFast(item);
      first = false;
    }
    return list ? `[${out}]` : `{${out}}`;
  }
  const entries = mergeXmlAttributes(structEntries(value));
  if (isListLike(entries)) return `[${entries.map(([, item]) => encodeFast(item)).join(',')}]`;
  return `{${entries.map(([key, item]) => `${phpJsonString(key)}:${encodeFast(item)}`).join(',')}}`;
}

/** The reference walk, tracking where it is for the error message. */
function encodeTracked(value: WsValue, path: string): string {
  const scalar = encodeScalar(value);
  if (scalar !== undefined) return scalar;
  if (value instanceof PwgNamedArray) return encodeTracked(value.content, path);
  if (value instanceof PwgNamedStruct) return encodeTracked(value.content, path);
  if (Array.isArray(value)) {
    return `[${(value as readonly WsValue[]).map((item, i) => encodeTracked(item ?? null, `${path}[${i}]`)).join(',')}]`;
  }
  if (isStructLike(value)) {
    const entries = mergeXmlAttributes(structEntries(value));
    if (isListLike(entries)) {
      return `[${entries.map(([key, item]) => encodeTracked(item, `${path}[${key}]`)).join(',')}]`;
    }
    return `{${entries.map(([key, item]) => `${phpJsonString(key)}:${encodeTracked(item, `${path}.${key}`)}`).join(',')}}`;
  }
  throw new TypeError(`Cannot encode ${describe(value)} at ${path} for ws.php`);
}

/** `{"stat":"ok","result":…}` */
export function encodeJsonResult(result: WsValue): string {
  return `{"stat":"ok","result":${phpJsonEncode(result)}}`;
}

/** `{"stat":"fail","err":999,"message":"…"}` */
export function encodeJsonError(error: WsError): string {
  return `{"stat":"fail","err":${phpJsonNumber(error.code)},"message":${phpJsonString(error.message)}}`;
}

/** A short description of an unsupported value, for error messages. */
export function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return `object of class ${(value as object).constructor?.name ?? 'null-prototype'}`;
}
