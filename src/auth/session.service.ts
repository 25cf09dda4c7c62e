import { Inject, Injectable, Optional } from '@nestjs/common';
import { currentHookContext } from '../hooks/hook-context.js';
import { HookRegistry } from '../hooks/hook.registry.js';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import type { Principal } from '../access/principal.js';
import { AuditService } from '../audit/audit.service.js';
import { VitrineError } from '../common/errors.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { AuthPassport } from './auth.passport.js';
import { AUTH_SETTINGS, type AuthSettings } from './auth.settings.js';
import { clientIp, type AuthUser } from './auth.types.js';
import { existingCsrfToken } from './csrf.js';
import { principalOf } from './principal.resolver.js';

/** How a login arrived, recorded in the audit log. */
export type LoginChannel = 'api' | 'form';

/** What `GET /api/v1/me` answers. */
export interface MeView {
  authenticated: boolean;
  /** `session`, `api_key`, `share` or `none`. */
  via: 'session' | 'api_key' | 'share' | 'none';
  principal: Principal;
  user: PublicUser | null;
  /** The session's CSRF token (header `X-CSRF-Token` or field `_csrf`), or null without a session. */
  csrfToken: string | null;
}

export interface PublicUser {
  id: number;
  username: string;
  email: string | null;
  displayName: string | null;
  role: string;
  privacyLevel: number;
  locale: string | null;
  lastLoginAt: string | null;
}

/**
 * Login sessions over HTTP: log in (credentials → passport → regenerated session), log out
 * (session destroyed, cookie cleared), and who-am-I. Controllers (JSON API and HTML form) call it.
 * Session work never runs inside a database transaction (PGlite has one session).
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly passport: AuthPassport,
    private readonly audit: AuditService,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
    @Optional() private readonly hooks: HookRegistry = new HookRegistry(),
  ) {}

  /**
   * Checks `req.body.username`/`password` (validated by the caller) and starts a new session.
   * @throws VitrineError 401 `auth.invalid_credentials` (same for every failure), 429 `auth.throttled`
   *   (and sets `Retry-After`), 400 `auth.no_session` for requests authenticated by an API key.
   */
  async login(req: Request, channel: LoginChannel): Promise<AuthUser> {
    if (!req.session) throw new VitrineError('invalid', 'auth.no_session', 'Log in without an Authorization header.');
    let user: AuthUser;
    try {
      user = await this.passport.authenticateLocal(req, req.res!);
    } catch (error) {
      const retry = error instanceof VitrineError ? error.extra?.['retryAfterSeconds'] : undefined;
      if (typeof retry === 'number') req.res?.setHeader('Retry-After', String(retry));
      throw error;
    }
    await this.passport.logIn(req, user);
    const at = new Date(this.settings.now());
    await this.dataSource.query(`UPDATE users SET last_login_at = $2::timestamptz WHERE id = $1`, [user.id, at.toISOString()]);
    const principal: Principal = { kind: 'user', userId: user.id, username: user.username, role: user.role, privacyLevel: user.privacyLevel };
    (req as Request & { principal?: Principal }).principal = principal;
    await this.audit.record({ actor: principal, action: 'auth.login', targetType: 'user', targetId: user.id, ip: clientIp(req), summary: { channel } });
    // hook: user.loggedIn (after the session is saved; errors are logged, the login succeeds)
    await this.hooks.doAction('user.loggedIn', { id: user.id, username: user.username, role: user.role }, {
      ...currentHookContext(),
      actor: { userId: user.id, username: user.username, role: user.role, via: 'session' },
    });
    return { ...user, lastLoginAt: at };
  }

  /** Ends the session (if any) and clears the cookie; logs the logout of a logged-in user. */
  async logout(req: Request): Promise<void> {
    const principal = principalOf(req);
    if (req.session) {
      await new Promise<void>((resolve, reject) => req.session.destroy((err: unknown) => (err ? reject(err) : resolve())));
    }
    req.user = undefined;
    req.res?.clearCookie(this.settings.cookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure: this.config.secureCookies || req.secure });
    if (principal.kind === 'user' && !principal.apiKey) {
      await this.audit.record({ actor: principal, action: 'auth.logout', targetType: 'user', targetId: principal.userId, ip: clientIp(req) });
    }
  }

  /** The current principal, its account, and the session's CSRF token (no session is created). */
  async me(req: Request): Promise<MeView> {
    const principal = principalOf(req);
    const csrfToken = existingCsrfToken(req);
    if (principal.kind !== 'user') {
      return { authenticated: false, via: principal.kind === 'share' ? 'share' : 'none', principal, user: null, csrfToken };
    }
    const user = await this.publicUser(principal.userId);
    return { authenticated: true, via: principal.apiKey ? 'api_key' : 'session', principal, user, csrfToken: principal.apiKey ? null : csrfToken };
  }

  async publicUser(id: number): Promise<PublicUser | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, username, email, display_name, role, privacy_level, locale, last_login_at FROM users WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r['id'] as number,
      username: r['username'] as string,
      email: (r['email'] as string | null) ?? null,
      displayName: (r['display_name'] as string | null) ?? null,
      role: r['role'] as string,
      privacyLevel: r['privacy_level'] as number,
      locale: (r['locale'] as string | null) ?? null,
      lastLoginAt: r['last_login_at'] ? new Date(r['last_login_at'] as string).toISOString() : null,
    };
  }
}

/** The user fields safe to answer over the API. */
export function toPublicUser(user: AuthUser): PublicUser {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    privacyLevel: user.privacyLevel,
    locale: user.locale,
    lastLoginAt: user.lastLoginAt ? user.lastLoginAt.toISOString() : null,
  };
}
