import { isPhpInt, phpSerializeFloat, phpStringNumber } from './php/php-float.formatter.js';
import type { WsError } from './ws-error.js';
import { describe } from './ws-json.encoder.js';
import { phpHtmlSpecialChars } from './ws-xml.encoder.js';
import {
  PwgNamedArray,
  PwgNamedStruct,
  isListLike,
  isStructLike,
  mergeXmlAttributes,
  structEntries,
  type WsValue,
} from './ws-values.js';

/**
 * The two legacy formats Piwigo still answers: `format=php` (PHP `serialize()`, text/plain) and
 * `format=xmlrpc` (an XML-RPC methodResponse, text/xml). Both encode the flattened result.
 */
export const WS_PHP_CONTENT_TYPE = 'text/plain; charset=utf-8';
export const WS_XMLRPC_CONTENT_TYPE = 'text/xml; charset=utf-8';

/** A flattened value (PHP types made explicit): what both legacy encoders walk. */
type Flat =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: string }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'array'; entries: Array<[string, Flat]>; list: boolean };

/** Piwigo's `flattenResponse` into a tagged tree. */
function flatten(value: WsValue, path: string): Flat {
  if (value === null || value === undefined) return { kind: 'null' };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  if (typeof value === 'bigint') return { kind: 'int', value: value.toString() };
  if (typeof value === 'number') return isPhpInt(value) ? { kind: 'int', value: String(value) } : { kind: 'float', value };
  if (typeof value === 'string') return { kind: 'string', value };
  if (value instanceof PwgNamedArray) return flatten(value.content, path);
  if (value instanceof PwgNamedStruct) return flatten(value.content, path);
  let entries: Array<[string, WsValue]>;
  if (Array.isArray(value)) entries = (value as readonly WsValue[]).map((item, i) => [String(i), item ?? null]);
  else if (isStructLike(value)) entries = mergeXmlAttributes(structEntries(value));
  else throw new TypeError(`Cannot encode ${describe(value)} at ${path} for ws.php`);
  return {
    kind: 'array',
    list: entries.length > 0 && isListLike(entries),
    entries: entries.map(([key, item]) => [key, flatten(item, `${path}.${key}`)]),
  };
}

function serialize(value: Flat): string {
  switch (value.kind) {
    case 'null':
      return 'N;';
    case 'bool':
      return `b:${value.value ? 1 : 0};`;
    case 'int':
      return `i:${value.value};`;
    case 'float':
      return `d:${phpSerializeFloat(value.value)};`;
    case 'string':
      return serializeString(value.value);
    case 'array': {
      const body = value.entries.map(([key, item]) => serializeKey(key) + serialize(item)).join('');
      return `a:${value.entries.length}:{${body}}`;
    }
  }
}

function serializeString(text: string): string {
  return `s:${Buffer.byteLength(text, 'utf8')}:"${text}";`;
}

/** PHP stores canonical decimal-integer string keys as ints. */
function serializeKey(key: string): string {
  return /^(?:0|-?[1-9][0-9]{0,17})$/.test(key) ? `i:${key};` : serializeString(key);
}

/** `serialize(['stat' => 'ok', 'result' => …])` */
export function encodePhpResult(result: WsValue): string {
  return `a:2:{s:4:"stat";s:2:"ok";s:6:"result";${serialize(flatten(result, 'result'))}}`;
}

/** `serialize(['stat' => 'fail', 'err' => …, 'message' => …])` */
export function encodePhpError(error: WsError): string {
  return `a:3:{s:4:"stat";s:4:"fail";s:3:"err";i:${error.code};s:7:"message";${serializeString(error.message)}}`;
}

/** Port of `xmlrpc_encode()` (xmlrpc_encoder.php); PHP null has no case there and writes nothing. */
function xmlrpc(value: Flat): string {
  switch (value.kind) {
    case 'null':
      return '';
    case 'bool':
      return `<boolean>${value.value ? 1 : 0}</boolean>`;
    case 'int':
      return `<int>${value.value}</int>`;
    case 'float':
      return `<double>${phpStringNumber(value.value)}</double>`;
    case 'string':
      return `<string>${phpHtmlSpecialChars(value.value)}</string>`;
    case 'array':
      if (value.list) {
        return `<array><data>\n${value.entries.map(([, item]) => `  <value>${xmlrpc(item)}</value>\n`).join('')}</data></array>`;
      }
      return `<struct>\n${value.entries
        .map(([key, item]) => `  <member><name>${phpHtmlSpecialChars(key)}</name><value>${xmlrpc(item)}</value></member>\n`)
        .join('')}</struct>`;
  }
}

export function encodeXmlRpcResult(result: WsValue): string {
  const body = xmlrpc(flatten(result, 'result'));
  return `<methodResponse>\n  <params>\n    <param>\n      <value>\n        ${body}\n      </value>\n    </param>\n  </params>\n</methodResponse>`;
}

export function encodeXmlRpcError(error: WsError): string {
  return [
    '<methodResponse>',
    '  <fault>',
    '    <value>',
    '      <struct>',
    '        <member>',
    '          <name>faultCode</name>',
    `          <value><int>${error.code}</int></value>`,
    '        </member>',
    '        <member>',
    '          <name>faultString</name>',
    `          <value><string>${phpHtmlSpecialChars(error.message)}</string></value>`,
    '        </member>',
    '      </struct>',
    '    </value>',
    '  </fault>',
    '</methodResponse>',
  ].join('\n');
}
