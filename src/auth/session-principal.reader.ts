import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionData } from 'express-session';
import { DataSource } from 'typeorm';
import { GUEST, type Principal } from '../access/principal.js';
import { SHARE_COOKIE } from '../access/share-cookie.js';
import { readCookie } from '../common/cookies.js';
import { DATA_VERSION_COLUMNS, dataVersionOf, sharedDataVersion, type DataVersionColumns, type FreshReader } from '../database/data-version.js';
import { AppSecretService } from '../settings/app-secret.service.js';
import { AuthMiddleware } from './auth.middleware.js';
import type {} from './auth.types.js';
import { AUTH_SETTINGS, type AuthSettings } from './auth.settings.js';
import { SESSION_USER_COLUMNS, sessionUserPrincipal, type SessionUserRow } from './principal.resolver.js';

/** Who asks, and the data version read in the same round trip (for answer caches keyed by it). */
export interface QuickPrincipal {
  principal: Principal;
  version: string;
}

type Row = DataVersionColumns & { sess: SessionData | string | null; expire_ms: string | number | null } & Partial<SessionUserRow>;

/**
 * The principal of a plain request in ONE database round trip, for hot read paths mounted in
 * front of the express chain (the media fast path). It reads the session row, its user and the
 * data version together; everything is re-read on every request, so a logout, a disabled account,
 * a password change or a role change applies to the very next request, exactly as in the full chain.
 *
 * It answers only the ordinary cases: no credential at all (guest), or a valid signed
 * `vitrine_sid` of a live session whose user is active (the same rule as
 * {@link SessionPrincipalResolver}, shared through {@link sessionUserPrincipal}). Anything else —
 * an `Authorization` header, a share-link cookie, a bad signature, a missing, expired or
 * over-age session, an account that must be logged out — answers `null`: take the full chain,
 * which handles (and cleans up) those cases.
 */
@Injectable()
export class SessionPrincipalReader {
  private readonly version: FreshReader<string>;
  private secret?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: AppSecretService,
    private readonly auth: AuthMiddleware,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {
    this.version = sharedDataVersion(dataSource);
  }

  async read(req: Request): Promise<QuickPrincipal | null> {
    if (req.headers.authorization !== undefined) return null;
    if (readCookie(req, SHARE_COOKIE) !== undefined) return null;
    const raw = readCookie(req, this.settings.cookieName);
    if (raw === undefined) return { principal: GUEST, version: await this.version.read() };
    const sid = unsignCookie(raw, await (this.secret ??= this.secrets.get().then((s) => s.toString('base64url'))));
    if (sid === null) return null;
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${DATA_VERSION_COLUMNS}, s.sess, extract(epoch FROM s.expire) * 1000 AS expire_ms, ${prefixed('u', SESSION_USER_COLUMNS)}
       FROM (SELECT 1) one
       LEFT JOIN sessions s ON s.sid = $1
       LEFT JOIN users u ON u.id = CASE WHEN (s.sess::jsonb #>> '{passport,user}') ~ '^[0-9]{1,9}$' THEN (s.sess::jsonb #>> '{passport,user}')::int END`,
      [sid],
    );
    const row = rows[0];
    if (!row || row.sess === null || row.expire_ms === null) return null;
    const now = this.settings.now();
    const expireMs = Number(row.expire_ms);
    if (!(expireMs > now)) return null;
    const session = typeof row.sess === 'string' ? (JSON.parse(row.sess) as SessionData) : row.sess;
    const userId = session.passport?.user;
    let principal: Principal = GUEST;
    if (userId !== undefined) {
      if (typeof userId !== 'number' || row.id !== userId) return null;
      const authAt = session.authAt ?? 0;
      if (authAt + this.settings.absoluteTtlMs <= now) return null;
      const user = sessionUserPrincipal(row as SessionUserRow, authAt);
      if (!user) return null;
      principal = user;
    }
    this.touch(sid, session, expireMs);
    return { principal, version: dataVersionOf(row) };
  }

  /** Pushes the idle expiry forward as express-session would (the store writes at most once per `sessionTouchMs`). */
  private touch(sid: string, session: SessionData, storedExpiryMs: number): void {
    if (this.auth.store.expiryFor(session) - storedExpiryMs < this.settings.sessionTouchMs) return;
    this.auth.store.touch(sid, session, () => undefined);
  }
}

function prefixed(alias: string, columns: string): string {
  return columns
    .split(',')
    .map((c) => `${alias}.${c.trim()}`)
    .join(', ');
}

/**
 * The session id of a signed `vitrine_sid` value (`s:<sid>.<signature>`, express-session's
 * format: HMAC-SHA256 in unpadded base64), or null when it is not signed with `secret`.
 */
export function unsignCookie(value: string, secret: string): string | null {
  if (!value.startsWith('s:')) return null;
  const signed = value.slice(2);
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const sid = signed.slice(0, dot);
  const expected = Buffer.from(`${sid}.${createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '')}`);
  const given = Buffer.from(signed);
  return expected.length === given.length && timingSafeEqual(expected, given) ? sid : null;
}
