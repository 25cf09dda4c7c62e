import { phpJsonNumber } from './php/php-float.formatter.js';
import type { WsError } from './ws-error.js';
import {
  PwgNamedArray,
  PwgNamedStruct,
  isListLike,
  isStructLike,
  mergeXmlAttributes,
  structEntries,
  type WsValue,
} from './ws-values.js';

/** Content type of Piwigo's JSON answers (json_encoder.php, charset added by `sendResponse`). */
export const WS_JSON_CONTENT_TYPE = 'text/plain; charset=utf-8';

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * A string as PHP `json_encode` writes it with default flags: `/` → `\/`, controls and every
 * non-ASCII UTF-16 unit → `\uxxxx` (lowercase, surrogate pairs for astral characters).
 * Deviation: a lone surrogate (invalid UTF-8 in PHP, where json_encode fails) is escaped as is.
 */
export function phpJsonString(text: string): string {
  return `"${text.replace(/["\\/\u0000-\u001f\u0080-\uffff]/g, (ch) => SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/**
 * PHP `json_encode($value)` after Piwigo's `flattenResponse` (named arrays/structs unwrapped,
 * `attributes_xml_` merged). Throws a TypeError on values PHP could not have produced.
 */
export function phpJsonEncode(value: WsValue, path = 'result'): string {
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
  if (value instanceof PwgNamedArray) return phpJsonEncode(value.content, path);
  if (value instanceof PwgNamedStruct) return phpJsonEncode(value.content, path);
  if (Array.isArray(value)) {
    return `[${(value as readonly WsValue[]).map((item, i) => phpJsonEncode(item ?? null, `${path}[${i}]`)).join(',')}]`;
  }
  if (isStructLike(value)) {
    const entries = mergeXmlAttributes(structEntries(value));
    if (isListLike(entries)) {
      return `[${entries.map(([key, item]) => phpJsonEncode(item, `${path}[${key}]`)).join(',')}]`;
    }
    return `{${entries.map(([key, item]) => `${phpJsonString(key)}:${phpJsonEncode(item, `${path}.${key}`)}`).join(',')}}`;
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
