import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GUEST } from '../access/principal.js';
import { AuditService } from '../audit/audit.service.js';
import { VitrineError } from '../common/errors.js';
import { PasswordHasher } from '../users/password.hasher.js';
import type { PrivacyLevel, Role, UserStatus } from '../users/user.entity.js';
import { AUTH_SETTINGS, type AuthSettings } from './auth.settings.js';
import type { AuthUser } from './auth.types.js';
import { LoginThrottle } from './login.throttle.js';

/** The one answer for every failed login (unknown account, wrong password, disabled account). */
export function invalidCredentials(): VitrineError {
  return new VitrineError('unauthenticated', 'auth.invalid_credentials', 'Wrong user name or password.');
}

/** 429 for a throttled login; `extra.retryAfterSeconds` feeds the `Retry-After` header. */
export function loginThrottled(retryAfterSeconds: number): VitrineError {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new VitrineError('rate_limited', 'auth.throttled', `Too many failed logins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, undefined, {
    retryAfterSeconds,
  });
}

/**
 * Checks a user name (or e-mail) and password. Throttled per account and per IP before any
 * work; every failure gives the same error and costs one argon2 verification (against a dummy
 * hash for unknown accounts), and is written to the audit log with the attempted name (never the password).
 */
@Injectable()
export class CredentialService implements OnModuleInit {
  readonly throttle: LoginThrottle;
  private dummy?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(AUTH_SETTINGS) settings: AuthSettings,
  ) {
    this.throttle = new LoginThrottle(settings);
  }

  /** Computes the dummy hash at start-up, so that the first unknown-account login costs no more than later ones. */
  async onModuleInit(): Promise<void> {
    await this.dummyHash();
  }

  /** @throws VitrineError `auth.throttled` (429) or `auth.invalid_credentials` (401) */
  async verify(login: string, password: string, ip: string | null): Promise<AuthUser> {
    const verdict = this.throttle.check(login, ip);
    if (!verdict.allowed) throw loginThrottled(verdict.retryAfterSeconds);
    const rows: CredentialRow[] = await this.dataSource.query(
      `SELECT id, username, email, display_name, role, privacy_level, status, locale, last_login_at, password_hash
       FROM users WHERE lower(username) = lower($1) OR lower(email) = lower($1)
       ORDER BY (lower(username) = lower($1)) DESC LIMIT 1`,
      [login],
    );
    const row = rows[0];
    // Unknown accounts (and accounts without a password) verify against a dummy hash with the same
    // parameters, so that both paths cost one argon2 verification.
    const verified = await PasswordHasher.verify(row?.password_hash ?? (await this.dummyHash()), password);
    const passwordOk = !!row?.password_hash && verified;
    if (row && passwordOk && row.status === 'active') {
      this.throttle.succeed(login);
      return toAuthUser(row);
    }
    const reason = !row ? 'unknown_account' : !row.password_hash ? 'no_password' : !passwordOk ? 'wrong_password' : 'disabled';
    const { limitReached } = this.throttle.fail(login, ip);
    const username = login.slice(0, 100);
    await this.audit.record({ actor: GUEST, action: 'auth.login_failed', targetType: row ? 'user' : null, targetId: row?.id, ip, summary: { username, reason } });
    if (limitReached.length) {
      await this.audit.record({ actor: GUEST, action: 'auth.login_throttled', ip, summary: { username, limits: limitReached } });
    }
    throw invalidCredentials();
  }

  private dummyHash(): Promise<string> {
    return (this.dummy ??= PasswordHasher.hash(randomBytes(32).toString('base64url')));
  }
}

interface CredentialRow {
  id: number;
  username: string;
  email: string | null;
  display_name: string | null;
  role: Role;
  privacy_level: PrivacyLevel;
  status: UserStatus;
  locale: string | null;
  last_login_at: Date | string | null;
  password_hash: string | null;
}

function toAuthUser(row: CredentialRow): AuthUser {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    privacyLevel: row.privacy_level,
    status: row.status,
    locale: row.locale,
    lastLoginAt: row.last_login_at === null ? null : new Date(row.last_login_at),
  };
}
