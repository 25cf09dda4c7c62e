import { VitrineError, type ErrorKind } from '../common/errors.js';

/** Piwigo's error codes of the engine itself (include/ws_core.inc.php). */
export const WS_ERR = {
  INVALID_METHOD: 501,
  MISSING_PARAM: 1002,
  INVALID_PARAM: 1003,
} as const;

/**
 * Piwigo's `PwgError($code, $message)`. A handler may return or throw one. When
 * 400 ≤ code < 600 the HTTP status is the code and the reason phrase the message
 * (`HTTP/1.1 401 Access denied`); other codes (999, 1002, 1003…) answer HTTP 200.
 */
export class WsError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'WsError';
  }

  /** The HTTP status Piwigo sends with this error. */
  get httpStatus(): number {
    return this.code >= 400 && this.code < 600 ? this.code : 200;
  }
}

/**
 * How a service's {@link VitrineError} reads through ws.php. Chosen from the codes Piwigo's own
 * methods use for the same situations (include/ws_functions/*.php):
 * - `invalid` → 1003 (`WS_ERR_INVALID_PARAM`: 'Invalid level', 'Name field must not be empty')
 * - `conflict` → 1003 (Piwigo: 'This name is already used by another group.', 'Tag "x" already exists')
 * - `not_found` → 404 ('image_id not found', 'category_id not found', 'cat_id {7} not found')
 * - `unauthenticated`, `forbidden` → 401 (Piwigo's refusal code: 'Access denied', 'not permitted';
 *   403 is reserved for 'Invalid security token', raised by handlers as a WsError)
 * - `too_large` → 413, `unsupported` → 415 ('forbidden file type'), `rate_limited` → 429,
 *   `unavailable` → 503.
 */
export const WS_CODE_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: WS_ERR.INVALID_PARAM,
  conflict: WS_ERR.INVALID_PARAM,
  not_found: 404,
  unauthenticated: 401,
  forbidden: 401,
  too_large: 413,
  unsupported: 415,
  rate_limited: 429,
  unavailable: 503,
};

/** The error answered for anything a handler throws that is neither WsError nor VitrineError. */
export const WS_INTERNAL_ERROR_MESSAGE = 'Internal server error';

/** Converts anything a handler throws into the WsError the client sees. */
export function toWsError(error: unknown): WsError {
  if (error instanceof WsError) return error;
  if (error instanceof VitrineError) return new WsError(WS_CODE_BY_KIND[error.kind], error.message);
  return new WsError(500, WS_INTERNAL_ERROR_MESSAGE);
}

/** Piwigo's `set_status_header` default texts, used when an error has an empty message. */
const DEFAULT_STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Authorization required',
  403: 'Forbidden',
  404: 'Not found',
  500: 'Server error',
  501: 'Not implemented',
  503: 'Service unavailable',
};

/**
 * The reason phrase PHP writes for a status (`header("HTTP/1.1 $code $text")`): the message as
 * UTF-8 bytes (Node writes `statusMessage` as latin1, so the bytes are preserved), control
 * characters replaced by spaces since Node refuses them.
 */
export function statusReason(code: number, message: string): string | undefined {
  const text = message === '' ? DEFAULT_STATUS_TEXT[code] : message;
  if (text === undefined) return undefined;
  return Buffer.from(text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ' '), 'utf8').toString('latin1');
}
