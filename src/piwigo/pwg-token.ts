import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WsContext } from './ws-context.types.js';
import { WsError } from './ws-error.js';

/**
 * Piwigo's `get_pwg_token()`: `hash_hmac('md5', session_id(), $conf['secret_key'])`, 32 lowercase
 * hex characters. Tied to the session id, so it changes when login regenerates the id.
 */
export function computePwgToken(sessionId: string, secret: string): string {
  return createHmac('md5', secret).update(sessionId, 'utf8').digest('hex');
}

/**
 * Constant-time comparison of a client-sent token with the expected one. Anything but a string
 * of the same length fails. (Piwigo compares with PHP `!=`; its numeric-string juggling is not kept.)
 */
export function pwgTokenMatches(candidate: unknown, expected: string): boolean {
  if (typeof candidate !== 'string') return false;
  const a = Buffer.from(candidate, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Piwigo's answer to a wrong or missing token in the methods that require one. */
export const INVALID_TOKEN_MESSAGE = 'Invalid security token';

/**
 * What the methods with a required `pwg_token` param do first:
 * `if (get_pwg_token() != $params['pwg_token']) return new PwgError(403, 'Invalid security token');`
 * @throws WsError 403 when the token does not match the session's.
 */
export function requirePwgToken(params: { readonly pwg_token?: unknown }, ctx: WsContext): void {
  if (!ctx.session.checkPwgToken(params.pwg_token)) throw new WsError(403, INVALID_TOKEN_MESSAGE);
}

/**
 * For the methods where the token is optional (categories.add/setInfo, images.setInfo): a valid
 * token only unlocks HTML in texts. True when present and valid.
 */
export function hasValidPwgToken(params: { readonly pwg_token?: unknown }, ctx: WsContext): boolean {
  return params.pwg_token !== undefined && params.pwg_token !== null && ctx.session.checkPwgToken(params.pwg_token);
}
