import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SessionData } from 'express-session';
import { DataSource } from 'typeorm';
import type { Principal } from '../access/principal.js';
import { AUTH_SETTINGS, type AuthSettings } from '../auth/auth.settings.js';
import { DbSessionStore } from '../auth/session.store.js';
import { readCookie } from '../common/cookies.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import type { PrivacyLevel, Role } from '../users/user.entity.js';

/** Piwigo's session cookie (`$conf['session_name']`). */
export const PWG_SESSION_COOKIE = 'pwg_id';
/** Rows of ws.php sessions in the shared `sessions` table carry this prefix (never a valid `vitrine_sid`). */
const SID_PREFIX = 'pwg:';
/** Ids we issue: 26 lowercase alphanumerics (PHP's default session id shape). Anything else is replaced. */
const SESSION_ID = /^[a-z0-9]{26,64}$/;
const EXPIRED = 'expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0';

/** What a ws.php session stores (a `sessions` row, same shape as the web sessions). */
interface WsSessionData {
  passport?: { user?: number };
  authAt?: number;
  connectedWith?: string;
}

/** The ws.php session of one request. */
export interface WsSessionState {
  id: string;
  /** The logged-in user's id, or null for a guest session. */
  userId: number | null;
  connectedWith: string | null;
  /** Epoch ms of the login that bound the user (absolute lifetime, password-change check). */
  authAt: number;
  readonly res: Response;
}

/**
 * Piwigo's `pwg_id` sessions for ws.php, stored in the same `sessions` table as the web sessions
 * (so `UserService` ends them on password change / disable, by `sess.passport.user`).
 *
 * Every request gets a session id (a `Set-Cookie: pwg_id` when it had none, as Piwigo answers),
 * but guest sessions are **not stored**: a guest's session holds nothing but its id, from which
 * `pwg_token` is derived. Only logins write a row, so anonymous traffic (and the benchmark's
 * cookie-less wrk) costs no database write.
 */
@Injectable()
export class WsSessionStore {
  private readonly store: DbSessionStore;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
  ) {
    this.store = new DbSessionStore(dataSource, settings);
  }

  /** The request's session: the stored one for a known `pwg_id`, else a guest session (new id and cookie when the cookie is absent or malformed). */
  async open(req: Request, res: Response): Promise<WsSessionState> {
    const presented = readCookie(req, PWG_SESSION_COOKIE);
    if (presented === undefined || !SESSION_ID.test(presented)) {
      const id = newSessionId();
      this.setCookie(res, id);
      return { id, userId: null, connectedWith: null, authAt: 0, res };
    }
    const data = await this.read(presented);
    const userId = data?.passport?.user;
    return { id: presented, userId: typeof userId === 'number' ? userId : null, connectedWith: data?.connectedWith ?? null, authAt: data?.authAt ?? 0, res };
  }

  /**
   * `log_user()`: binds the user to a **new** session id (fixation), replacing the `pwg_id`
   * cookie already set on this response, and deletes `pwg_remember` as Piwigo does.
   */
  async logIn(state: WsSessionState, userId: number, connectedWith: string): Promise<void> {
    await this.destroy(state.id);
    const id = newSessionId();
    const authAt = this.settings.now();
    const data: WsSessionData & { cookie: object } = { cookie: {}, passport: { user: userId }, authAt, connectedWith };
    await new Promise<void>((resolve, reject) => this.store.set(SID_PREFIX + id, data as unknown as SessionData, (err) => (err ? reject(err) : resolve())));
    const cookies = ([] as string[]).concat((state.res.getHeader('Set-Cookie') as string[] | string | undefined) ?? []);
    state.res.setHeader(
      'Set-Cookie',
      cookies.filter((c) => !c.startsWith(`${PWG_SESSION_COOKIE}=`)),
    );
    state.res.append('Set-Cookie', `pwg_remember=deleted; ${EXPIRED}; path=/`);
    this.setCookie(state.res, id);
    state.id = id;
    state.userId = userId;
    state.connectedWith = connectedWith;
    state.authAt = authAt;
  }

  /** `logout_user()`: deletes the row and expires the cookie. */
  async logOut(state: WsSessionState): Promise<void> {
    await this.destroy(state.id);
    state.res.append('Set-Cookie', `${PWG_SESSION_COOKIE}=deleted; ${EXPIRED}; path=/; HttpOnly`);
    state.res.append('Set-Cookie', `pwg_remember=deleted; ${EXPIRED}; path=/`);
    state.userId = null;
    state.connectedWith = null;
  }

  /**
   * The user bound to a session, re-read on every request (role changes apply at once). Null —
   * and the session is ended — when the account is gone or disabled, when its password changed
   * after the login, or when the absolute lifetime is over (same rules as the web sessions).
   */
  async principalFor(state: WsSessionState): Promise<Extract<Principal, { kind: 'user' }> | null> {
    if (state.userId === null) return null;
    const authAt = state.authAt;
    const rows: UserRow[] = await this.dataSource.query(
      `SELECT id, username, role, privacy_level, status, password_changed_at FROM users WHERE id = $1`,
      [state.userId],
    );
    const user = rows[0];
    const stale =
      !user ||
      user.status !== 'active' ||
      authAt + this.settings.absoluteTtlMs <= this.settings.now() ||
      (user.password_changed_at !== null && new Date(user.password_changed_at).getTime() > authAt);
    if (stale) {
      await this.destroy(state.id);
      state.userId = null;
      state.connectedWith = null;
      return null;
    }
    return { kind: 'user', userId: user.id, username: user.username, role: user.role, privacyLevel: user.privacy_level };
  }

  private read(id: string): Promise<WsSessionData | null> {
    return new Promise((resolve, reject) =>
      this.store.get(SID_PREFIX + id, (err, data) => (err ? reject(err) : resolve((data as WsSessionData | null | undefined) ?? null))),
    );
  }

  private destroy(id: string): Promise<void> {
    return new Promise((resolve, reject) => this.store.destroy(SID_PREFIX + id, (err) => (err ? reject(err) : resolve())));
  }

  private setCookie(res: Response, id: string): void {
    // Piwigo's attributes (path=/; HttpOnly) plus SameSite=Lax and Secure on https deployments.
    const secure = this.config.secureCookies ? '; Secure' : '';
    res.append('Set-Cookie', `${PWG_SESSION_COOKIE}=${id}; path=/; HttpOnly; SameSite=Lax${secure}`);
  }
}

function newSessionId(): string {
  // 26 characters of [a-z0-9] (PHP's default id length and alphabet), about 134 random bits.
  const bytes = randomBytes(26);
  let id = '';
  for (const b of bytes) id += 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36];
  return id;
}

interface UserRow {
  id: number;
  username: string;
  role: Role;
  privacy_level: PrivacyLevel;
  status: string;
  password_changed_at: Date | string | null;
}
