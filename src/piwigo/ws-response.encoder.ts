import { WsError, statusReason } from './ws-error.js';
import { WS_JSON_CONTENT_TYPE, encodeJsonError, encodeJsonResult } from './ws-json.encoder.js';
import {
  WS_PHP_CONTENT_TYPE,
  WS_XMLRPC_CONTENT_TYPE,
  encodePhpError,
  encodePhpResult,
  encodeXmlRpcError,
  encodeXmlRpcResult,
} from './ws-legacy.encoder.js';
import type { WsValue } from './ws-values.js';
import { WS_XML_CONTENT_TYPE, encodeXmlError, encodeXmlResult } from './ws-xml.encoder.js';

/** The response formats ws.php answers in (`?format=`; `rest` is XML and the default). */
export type WsFormat = 'rest' | 'json' | 'php' | 'xmlrpc';
export const WS_FORMATS: readonly WsFormat[] = ['rest', 'json', 'php', 'xmlrpc'];

/** An encoded answer, ready for any HTTP layer. */
export interface WsHttpResponse {
  status: number;
  /** Reason phrase (Piwigo sends the error message there); undefined = the HTTP default. */
  statusMessage?: string;
  contentType: string;
  body: Buffer;
}

interface WsEncoder {
  contentType: string;
  result(value: WsValue): string;
  error(error: WsError): string;
}

const ENCODERS: Readonly<Record<WsFormat, WsEncoder>> = {
  rest: { contentType: WS_XML_CONTENT_TYPE, result: encodeXmlResult, error: encodeXmlError },
  json: { contentType: WS_JSON_CONTENT_TYPE, result: encodeJsonResult, error: encodeJsonError },
  php: { contentType: WS_PHP_CONTENT_TYPE, result: encodePhpResult, error: encodePhpError },
  xmlrpc: { contentType: WS_XMLRPC_CONTENT_TYPE, result: encodeXmlRpcResult, error: encodeXmlRpcError },
};

/** Raised when a handler's result holds something no PHP encoder could produce (a bug). */
export const WS_ENCODING_ERROR_MESSAGE = 'Internal server error';

/**
 * Encodes a method's outcome like `PwgServer::sendResponse`: the body of the format, its content
 * type with `charset=utf-8`, and for errors with 400 ≤ code < 600 that code as HTTP status with
 * the message as reason phrase. A result that cannot be encoded answers a 500 error instead and
 * reports the TypeError through `onEncodingError`.
 */
export function encodeWsResponse(
  format: WsFormat,
  outcome: { ok: true; result: WsValue } | { ok: false; error: WsError },
  onEncodingError?: (error: unknown) => void,
): WsHttpResponse {
  const encoder = ENCODERS[format];
  if (outcome.ok) {
    try {
      return { status: 200, contentType: encoder.contentType, body: Buffer.from(encoder.result(outcome.result), 'utf8') };
    } catch (error) {
      onEncodingError?.(error);
      return encodeWsResponse(format, { ok: false, error: new WsError(500, WS_ENCODING_ERROR_MESSAGE) });
    }
  }
  const { error } = outcome;
  const status = error.httpStatus;
  const response: WsHttpResponse = { status, contentType: encoder.contentType, body: Buffer.from(encoder.error(error), 'utf8') };
  if (status !== 200) response.statusMessage = statusReason(error.code, error.message);
  return response;
}

/**
 * What Piwigo answers for an unknown `format` (PwgServer::run): HTTP 400 "Bad request",
 * `text/plain`, and this text. Piwigo then dumps its server object with var_export; Vitrine does not.
 * The content type carries PHP's default charset the way PHP appends it.
 */
export function unknownFormatResponse(requestedFormat: string): WsHttpResponse {
  const text = `Cannot process your request. Unknown response format.\nRequest format: rest Response format: ${requestedFormat}\n`;
  return { status: 400, statusMessage: 'Bad request', contentType: 'text/plain;charset=UTF-8', body: Buffer.from(text, 'utf8') };
}
