import {
  buildPhpInput,
  parsePhpQuery,
  type PhpInput,
  type PhpInputOptions,
  type PhpInputValue,
} from './php/php-fields.parser.js';
import { WS_FORMATS, type WsFormat } from './ws-response.encoder.js';

/** A request variable as the engine receives it (string or PHP array). */
export type WsRawValue = PhpInputValue;
/** `$_GET` or `$_POST`, or the params handed to a method. */
export type WsRawParams = PhpInput;

/**
 * Request fields, best given raw so PHP's rules apply exactly:
 * - a query string / urlencoded body (`a=1&p[]=1&p[]=2`),
 * - ordered decoded pairs (multipart text fields, URLSearchParams),
 * - or an already parsed record (`{ 'p[]': ['1', '2'] }` or `{ p: ['1', '2'] }`), best effort.
 */
export type WsFieldsInput = string | Iterable<readonly [string, string]> | Readonly<Record<string, unknown>>;

/** An uploaded file part (PHP `$_FILES`), handed to handlers through the call. */
export interface WsUploadedFile {
  /** Form field name, e.g. `image` (addSimple) or `file` (upload, uploadAsync). */
  field: string;
  /** Client file name. */
  filename: string;
  contentType: string;
  size: number;
  /** Where the multipart reader stored it (PHP `tmp_name`), or the bytes in memory. */
  path?: string;
  buffer?: Buffer;
}

export interface WsRequestInput {
  /** HTTP method; PHP only fills `$_POST` for POST. */
  httpMethod: string;
  query: WsFieldsInput;
  /** Urlencoded body or multipart text fields; ignored unless the method is POST. */
  body?: WsFieldsInput | null;
  files?: readonly WsUploadedFile[];
}

/** What ws.php's request handler extracts from a request (rest_handler.php + ws_init.inc.php). */
export interface WsParsedRequest {
  /**
   * The method: from the chosen param array, else from the query string; null when missing or
   * PHP-`empty` (`''`, `'0'`). An array-valued method reads as `'Array'`, which never names a method.
   */
  methodName: string | null;
  /** Params from the body on a POST with fields, else from the query; `method` and `format` removed. */
  params: WsRawParams;
  /** The response format, or null when unknown (answer `unknownFormatResponse`). */
  format: WsFormat | null;
  /** `format` as sent (`rest` when absent), for the unknown-format message. */
  requestedFormat: string;
  /** Piwigo's `isPost()`: a POST whose body yielded at least one field (files alone do not count). */
  isPost: boolean;
  files: readonly WsUploadedFile[];
  /** `$_GET` and `$_POST` as PHP would see them. */
  query: WsRawParams;
  body: WsRawParams;
}

/** Parses one ws.php request with Piwigo's rules. */
export function parseWsRequest(input: WsRequestInput, options?: PhpInputOptions): WsParsedRequest {
  const query = toPhpInput(input.query, options);
  const isPostMethod = input.httpMethod.toUpperCase() === 'POST';
  const body = isPostMethod && input.body != null ? toPhpInput(input.body, options) : EMPTY;
  const isPost = Object.keys(body).length > 0;

  const source = isPost ? body : query;
  const params = Object.create(null) as Record<string, WsRawValue>;
  let method: WsRawValue | undefined;
  for (const [name, value] of Object.entries(source)) {
    if (name === 'format') continue;
    if (name === 'method') method = value;
    else params[name] = value;
  }
  if (phpEmpty(method) && query['method'] !== undefined) method = query['method'];
  const methodName = phpEmpty(method) ? null : typeof method === 'string' ? method : 'Array';

  const rawFormat = query['format'];
  const requestedFormat = rawFormat === undefined ? 'rest' : typeof rawFormat === 'string' ? rawFormat : 'Array';
  const format = (WS_FORMATS as readonly string[]).includes(requestedFormat) ? (requestedFormat as WsFormat) : null;

  return { methodName, params, format, requestedFormat, isPost, files: input.files ?? [], query, body };
}

const EMPTY: WsRawParams = Object.freeze(Object.create(null) as WsRawParams);

/** PHP `empty()` on a request value. */
export function phpEmpty(value: WsRawValue | undefined): boolean {
  if (value === undefined || value === '' || value === '0') return true;
  if (typeof value === 'string') return false;
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function toPhpInput(fields: WsFieldsInput, options?: PhpInputOptions): WsRawParams {
  if (typeof fields === 'string') return parsePhpQuery(fields.replace(/^\?/, ''), options);
  if (isPairs(fields)) return buildPhpInput(fields, options);
  return buildPhpInput(recordToPairs(fields), options);
}

function isPairs(fields: WsFieldsInput): fields is Iterable<readonly [string, string]> {
  return typeof (fields as Iterable<unknown>)[Symbol.iterator] === 'function';
}

/** Best-effort inverse of a framework's parsing: nested values back to PHP bracket names. */
function recordToPairs(record: Readonly<Record<string, unknown>>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const visit = (name: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      const itemName = name.endsWith('[]') ? name : `${name}[]`;
      value.forEach((item: unknown, index) => {
        if (typeof item === 'object' && item !== null) visit(`${name}[${index}]`, item);
        else visit(itemName, item);
      });
    } else if (typeof value === 'object') {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) visit(`${name}[${key}]`, item);
    } else {
      pairs.push([name, String(value)]);
    }
  };
  for (const [name, value] of Object.entries(record)) {
    if (Array.isArray(value) && name.endsWith('[]')) {
      for (const item of value) pairs.push([name, String(item)]);
    } else {
      visit(name, value);
    }
  }
  return pairs;
}
