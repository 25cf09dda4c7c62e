import { INVALID_TOKEN_MESSAGE, WsError, type WsInvokeGuard } from '../piwigo/index.js';
import { wsCallState } from './ws-context.factory.js';

/**
 * Whether a method only reads: `reflection.*`, `pwg.getVersion`, and methods whose last name
 * segment starts with `get` or is `exist`/`checkFiles`/`checkUpload`. Everything else may write.
 */
export function isWsReadMethod(methodName: string): boolean {
  if (methodName.startsWith('reflection.')) return true;
  const last = methodName.slice(methodName.lastIndexOf('.') + 1);
  return /^get[A-Z]/.test(last) || last === 'exist' || last === 'checkFiles' || last === 'checkUpload';
}

/**
 * CSRF for browsers: a call riding on the **web** session (`vitrine_sid`, Piwigo's `pwg_ui`)
 * that may write must carry that session's `pwg_token`, whatever Piwigo's signature says (its
 * session cookie is the same one the browser sends cross-site). Desktop clients use their own
 * `pwg_id` session or an API key and are not concerned. Any write a browser flags as coming from
 * another site (`Sec-Fetch-Site: cross-site|same-site`) is refused whatever the session.
 */
export const webSessionWriteGuard: WsInvokeGuard = ({ methodName, params }, ctx) => {
  if (isWsReadMethod(methodName)) return undefined;
  // A browser says where a request comes from; desktop clients send no Sec-Fetch-Site. A write
  // another site made the browser send (a link or form riding on any cookie) is refused.
  const site = ctx.http.header('sec-fetch-site');
  if ((site === 'cross-site' || site === 'same-site') && ctx.apiKeyAuth !== 'header') return new WsError(403, INVALID_TOKEN_MESSAGE);
  if (!wsCallState(ctx).webSession) return undefined;
  return ctx.session.checkPwgToken(params['pwg_token']) ? undefined : new WsError(403, INVALID_TOKEN_MESSAGE);
};

/** An API key without the `write` scope only calls read methods (same rule as the REST API). */
export const readOnlyKeyGuard: WsInvokeGuard = ({ methodName }, ctx) => {
  const principal = wsCallState(ctx).principal;
  if (principal.kind !== 'user' || !principal.apiKey || principal.apiKey.scopes.includes('write')) return undefined;
  return isWsReadMethod(methodName) ? undefined : new WsError(401, 'This API key is read-only');
};
