import type { WsSession } from './ws-session.types.js';

/** Piwigo's user statuses (`user_infos.status`). */
export type WsUserStatus = 'guest' | 'generic' | 'normal' | 'admin' | 'webmaster';

/** Who is calling. Guests are a principal too (Piwigo's guest user). */
export interface WsPrincipal {
  /** Vitrine user id; null for the anonymous visitor. */
  readonly userId: number | null;
  /** Login name; `guest` for the anonymous visitor. */
  readonly username: string;
  readonly status: WsUserStatus;
}

/** `is_admin()`: admin or webmaster. */
export function isWsAdmin(principal: WsPrincipal): boolean {
  return principal.status === 'admin' || principal.status === 'webmaster';
}

/** `is_a_guest()`. */
export function isWsGuest(principal: WsPrincipal): boolean {
  return principal.status === 'guest';
}

/** The HTTP request as handlers may need it (headers, client, the framework object for files). */
export interface WsHttpInfo {
  /** A request header, case-insensitive; undefined when absent. */
  header(name: string): string | undefined;
  /** Client IP as the gallery sees it (after trusted proxies). */
  readonly ip?: string;
  /** Absolute base URL of the gallery, e.g. `https://photos.example` (for page/element URLs). */
  readonly baseUrl: string;
  /** The framework request (express `Request`), for what the engine does not model. */
  readonly raw?: unknown;
}

/**
 * Everything about the caller that the engine and the handlers need, provided per request by the
 * integration layer (auth, sessions, config). The engine never builds one itself.
 */
export interface WsContext {
  readonly principal: WsPrincipal;
  /** `$conf['guest_access']`: when false, guests may only call `pwg.session.*` and `reflection.*`. */
  readonly guestAccess: boolean;
  /**
   * How an API key authenticated this request: `header` (X-PIWIGO-API, Piwigo's
   * PWG_API_KEY_REQUEST), `session` (a session opened by pwg.session.login with a `pkid-…` key,
   * connected_with `ws_session_login_api_key`), or null. Both refuse the API-key-forbidden methods;
   * `header` also refuses pwg.session.login/logout.
   */
  readonly apiKeyAuth: 'header' | 'session' | null;
  /**
   * Params the auth layer sets over the request's, as Piwigo's user.inc.php does for API-key
   * requests (`$_POST['pwg_token'] = $_GET['pwg_token'] = get_pwg_token()`).
   */
  readonly forcedParams?: Readonly<Record<string, string>>;
  /** The session (id, pwg_token, how it was opened). */
  readonly session: WsSession;
  readonly http: WsHttpInfo;
}
