import type { WsContext } from './ws-context.types.js';

/**
 * `$_SESSION['connected_with']`: how the session was opened. Piwigo's values: `ws_session_login`
 * (pwg.session.login with a password), `ws_session_login_api_key` (pwg.session.login with a
 * `pkid-…` key), `pwg_ui` (web login form; required by pwg.users.api_key.*), `api_key`
 * (X-PIWIGO-API header), `pwg.images.uploadAsync` (inline login of that method).
 */
export type WsConnectedWith =
  | 'ws_session_login'
  | 'ws_session_login_api_key'
  | 'pwg_ui'
  | 'api_key'
  | 'pwg.images.uploadAsync'
  | (string & {});

/** The visitor's session as ws.php sees it. Every request has one, guests included. */
export interface WsSession {
  /** PHP `session_id()`: the value `pwg_token` is derived from. */
  readonly id: string;
  /** `get_pwg_token()` for this session: HMAC-MD5(session id, secret), 32 hex (see pwg-token.ts). */
  readonly pwgToken: string;
  /** Constant-time check of a `pwg_token` sent by the client against {@link pwgToken}. */
  checkPwgToken(candidate: unknown): boolean;
  readonly connectedWith: WsConnectedWith | null;
}

/** The data of `pwg.session.getStatus` that comes from config, preferences and the database. */
export interface WsStatusFacts {
  /** The user's theme id (`default`, `modus`…) and language (`en_GB`…). */
  readonly theme: string;
  readonly language: string;
  /** Database `NOW()` as `YYYY-MM-DD HH:MM:SS`. */
  readonly currentDatetime: string;
  /** `do_log()`: whether this visit is recorded in the history. */
  readonly saveVisits: boolean;
  /** Enabled derivative types in Piwigo order (`square`, `thumb`, `2small`…). */
  readonly availableSizes: readonly string[];
  /** Admins only: `jpg,jpeg,png,gif,webp` (lowercase, unique, comma-separated). */
  readonly uploadFileTypes: string;
  /** Admins only: `$conf['upload_form_chunk_size']` in KB (500). */
  readonly uploadFormChunkSize: number;
}

/**
 * What `pwg.session.login`, `pwg.session.logout` and `pwg.session.getStatus` need from the auth
 * layer. Implementations act on the current request's session (through `ctx`).
 */
export interface WsAuthPort {
  /**
   * `try_log_user($username, $password, false)`: checks the password; on success binds the user
   * to the session, **regenerates the session id** (the response carries a second
   * `Set-Cookie: pwg_id=…`, and deletes `pwg_remember`), and stores `connectedWith`.
   * @returns false for unknown user, wrong password or a disabled account (Piwigo error 999).
   */
  logIn(ctx: WsContext, username: string, password: string | null, connectedWith: 'ws_session_login'): Promise<boolean>;
  /**
   * `auth_key_login("pkid-…:secret")`: the username is an API key id (`pkid-YYYYMMDD-<20 alnum>`)
   * and the password its secret; on success as {@link logIn} with `ws_session_login_api_key`.
   */
  logInWithApiKey(ctx: WsContext, keyId: string, secret: string | null, connectedWith: 'ws_session_login_api_key'): Promise<boolean>;
  /**
   * `logout_user()`: ends the session (`Set-Cookie: pwg_id=…; expires=Thu, 01 Jan 1970
   * 00:00:01 GMT; Max-Age=0`, `pwg_remember=deleted`). Not called for guests.
   */
  logOut(ctx: WsContext): Promise<void>;
  /** The facts `pwg.session.getStatus` reports for this caller. */
  statusFacts(ctx: WsContext): Promise<WsStatusFacts>;
}
