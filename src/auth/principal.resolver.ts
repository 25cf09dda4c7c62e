import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { GUEST, type Principal } from '../access/principal.js';
import { VitrineError } from '../common/errors.js';
import type { PrivacyLevel, Role } from '../users/user.entity.js';
import { ApiKeyService } from './api-key.service.js';
import { AUTH_SETTINGS, type AuthSettings } from './auth.settings.js';
import { bearerToken } from './auth.types.js';

/**
 * One way of recognising who sends a request. Answers a principal, or null to let the next
 * resolver try; throws a VitrineError (e.g. 401) when the request presents a credential that is
 * not valid, so that a bad credential never silently degrades to a guest.
 */
export interface PrincipalResolver {
  /** Stable name, used to order resolvers (`before`). */
  readonly name: string;
  resolve(req: Request): Promise<Principal | null>;
}

/**
 * Who is asking: the first resolver that answers wins, else {@link GUEST}. Independent of Nest
 * middleware and guards: ws.php, tus hooks or tests can call it with any list of resolvers.
 */
export async function resolvePrincipal(req: Request, resolvers: readonly PrincipalResolver[]): Promise<Principal> {
  for (const resolver of resolvers) {
    const principal = await resolver.resolve(req);
    if (principal) return principal;
  }
  return GUEST;
}

/** `Authorization: Bearer vtr_…`: the key's owner with `apiKey` set; a bad key is a 401. */
@Injectable()
export class ApiKeyPrincipalResolver implements PrincipalResolver {
  readonly name = 'api-key';
  constructor(private readonly keys: ApiKeyService) {}

  async resolve(req: Request): Promise<Principal | null> {
    const token = bearerToken(req);
    if (token === null) return null;
    return this.keys.authenticate(token);
  }
}

/**
 * The logged-in user of the session cookie. Re-reads the account on every request, so a role
 * change applies at once, and ends the session (answering null) when the account is gone or
 * disabled, when its password changed after this login, or when the session outlived its
 * absolute lifetime.
 */
@Injectable()
export class SessionPrincipalResolver implements PrincipalResolver {
  readonly name = 'session';
  constructor(
    private readonly dataSource: DataSource,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  async resolve(req: Request): Promise<Principal | null> {
    const session = req.session;
    const userId = session?.passport?.user;
    if (!session || typeof userId !== 'number') return null;
    const authAt = session.authAt ?? 0;
    if (authAt + this.settings.absoluteTtlMs <= this.settings.now()) return this.end(req);
    const rows: SessionUserRow[] = await this.dataSource.query(`SELECT ${SESSION_USER_COLUMNS} FROM users WHERE id = $1`, [userId]);
    return sessionUserPrincipal(rows[0], authAt) ?? this.end(req);
  }

  private end(req: Request): Promise<null> {
    return new Promise((resolve, reject) => req.session.destroy((err: unknown) => (err ? reject(err) : resolve(null))));
  }
}

/** The `users` columns a session principal is built from (also selected by the media fast path). */
export const SESSION_USER_COLUMNS = 'id, username, role, privacy_level, status, password_changed_at';

export interface SessionUserRow {
  id: number;
  username: string;
  role: Role;
  privacy_level: PrivacyLevel;
  status: string;
  password_changed_at: Date | string | null;
}

/**
 * The one rule for "who is the user of this session": the principal, or null when the session
 * must end (account gone or not active, or password changed after this login). The absolute
 * lifetime is checked by the caller from `authAt`.
 */
export function sessionUserPrincipal(user: SessionUserRow | undefined, authAt: number): Principal | null {
  if (!user || user.status !== 'active') return null;
  if (user.password_changed_at && new Date(user.password_changed_at).getTime() > authAt) return null;
  return { kind: 'user', userId: user.id, username: user.username, role: user.role, privacyLevel: user.privacy_level };
}

/**
 * The ordered list of {@link PrincipalResolver}s the auth middleware runs for every request
 * (`principalResolvers`): API key first (an explicit credential), then the session cookie.
 * Other modules add theirs at start-up, e.g. the share-link cookie:
 *
 * ```ts
 * onModuleInit() { this.registry.add(shareCookieResolver, { before: 'session' }); }
 * ```
 */
@Injectable()
export class PrincipalResolverRegistry {
  readonly principalResolvers: PrincipalResolver[];

  constructor(apiKeys: ApiKeyPrincipalResolver, sessions: SessionPrincipalResolver) {
    this.principalResolvers = [apiKeys, sessions];
  }

  /** Adds a resolver at the end, or before the one named `before`. Names are unique. */
  add(resolver: PrincipalResolver, options: { before?: string } = {}): void {
    if (this.principalResolvers.some((r) => r.name === resolver.name)) throw new Error(`Principal resolver "${resolver.name}" is already registered`);
    const at = options.before === undefined ? -1 : this.principalResolvers.findIndex((r) => r.name === options.before);
    if (options.before !== undefined && at < 0) throw new Error(`No principal resolver named "${options.before}"`);
    if (at < 0) this.principalResolvers.push(resolver);
    else this.principalResolvers.splice(at, 0, resolver);
  }

  /** Who sends this request (see {@link resolvePrincipal}). */
  resolve(req: Request): Promise<Principal> {
    return resolvePrincipal(req, this.principalResolvers);
  }
}

/** The principal the auth middleware attached, or GUEST before it ran. */
export function principalOf(req: Request): Principal {
  return (req as Request & { principal?: Principal }).principal ?? GUEST;
}

/** Thrown when an API key without the `write` scope tries to change something. */
export function readOnlyKeyError(): VitrineError {
  return new VitrineError('forbidden', 'auth.api_key_read_only', 'This API key is read-only.');
}
