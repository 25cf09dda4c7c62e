import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isAdmin, type Principal } from '../access/principal.js';
import { AuditService } from '../audit/audit.service.js';
import { Errors, VitrineError } from '../common/errors.js';
import { returnedRows } from '../database/sql-result.js';
import type { PrivacyLevel, Role } from '../users/user.entity.js';
import { apiKeyPrefix, generateApiKey, generatePiwigoApiKey, hashApiKey, sameDigest } from './api-key.token.js';
import { AUTH_SETTINGS, type AuthSettings } from './auth.settings.js';

/** Scopes a key can carry. `write` implies `read`. */
export const API_KEY_SCOPES = ['read', 'write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Active keys one user may hold. */
export const MAX_KEYS_PER_USER = 50;

/** A key as listed: never the secret nor its hash. */
export interface ApiKeySummary {
  id: number;
  userId: number;
  name: string;
  keyPrefix: string;
  scopes: ApiKeyScope[];
  status: 'active' | 'expired' | 'revoked';
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export interface CreateApiKeyInput {
  name: string;
  /** `piwigo` makes a `pkid-…:<secret>` key for ws.php clients (see api-key.token.ts); default `vitrine` (`vtr_…`). */
  format?: 'vitrine' | 'piwigo';
  scopes?: ApiKeyScope[];
  expiresAt?: Date | null;
}

/** Who acts, for audit entries. */
export interface ActorContext {
  principal: Principal;
  ip: string | null;
}

type UserPrincipal = Extract<Principal, { kind: 'user' }>;
const DUMMY_HASH = hashApiKey('vtr_000000000000_' + '0'.repeat(64));

/**
 * Personal API keys (`Authorization: Bearer vtr_…`) for scripts and apps: creation (the secret is
 * answered once), listing, revocation, and authentication of a presented key.
 */
@Injectable()
export class ApiKeyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  /** Creates a key for the acting user; the answer's `key` is the only time the secret is shown. */
  async create(ctx: ActorContext, input: CreateApiKeyInput): Promise<{ key: string; apiKey: ApiKeySummary }> {
    const owner = requireUser(ctx.principal);
    if (owner.apiKey) throw Errors.forbidden('api_key.not_with_api_key', 'API keys cannot create API keys; log in to create one.');
    const scopes = normaliseScopes(input.scopes ?? ['read']);
    if (scopes.includes('write') && !roleMayWrite(owner.role)) {
      throw Errors.invalid('api_key.scope_exceeds_role', 'A key cannot have more rights than its owner.', [{ path: 'scopes', message: 'read only for this account' }]);
    }
    const now = this.settings.now();
    if (input.expiresAt && input.expiresAt.getTime() <= now) {
      throw Errors.invalid('api_key.expiry_in_past', 'The expiry date must be in the future.', [{ path: 'expiresAt', message: 'must be in the future' }]);
    }
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2::timestamptz)`,
      [owner.userId, new Date(now).toISOString()],
    );
    if (n >= MAX_KEYS_PER_USER) throw Errors.conflict('api_key.too_many', `You already have ${MAX_KEYS_PER_USER} active keys; revoke one first.`);
    for (let attempt = 0; attempt < 5; attempt++) {
      const fresh = input.format === 'piwigo' ? generatePiwigoApiKey(new Date(now)) : generateApiKey();
      const rows: ApiKeyRow[] = await this.dataSource.query(
        `INSERT INTO api_keys (user_id, name, key_prefix, key_hash, scopes, expires_at)
         SELECT $1, $2, $3, $4, $5::jsonb, $6::timestamptz WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE key_prefix = $3)
         RETURNING *`,
        [owner.userId, input.name, fresh.prefix, fresh.hash, JSON.stringify(scopes), input.expiresAt?.toISOString() ?? null],
      );
      if (!rows[0]) continue;
      const apiKey = this.toSummary(rows[0]);
      await this.audit.record({
        actor: ctx.principal,
        action: 'api_key.create',
        targetType: 'api_key',
        targetId: apiKey.id,
        ip: ctx.ip,
        summary: { name: apiKey.name, keyPrefix: apiKey.keyPrefix, scopes, expiresAt: apiKey.expiresAt },
      });
      return { key: fresh.key, apiKey };
    }
    throw new Error('Could not allocate a unique API key prefix');
  }

  /** The keys of one user, newest first. */
  async list(userId: number): Promise<ApiKeySummary[]> {
    const rows: ApiKeyRow[] = await this.dataSource.query(`SELECT * FROM api_keys WHERE user_id = $1 ORDER BY id DESC`, [userId]);
    return rows.map((r) => this.toSummary(r));
  }

  /**
   * Revokes a key at once (idempotent). Owners revoke their own keys, administrators anyone's;
   * another user's key answers 404 like a missing one.
   */
  async revoke(ctx: ActorContext, id: number): Promise<ApiKeySummary> {
    const actor = requireUser(ctx.principal);
    const rows: ApiKeyRow[] = await this.dataSource.query(`SELECT * FROM api_keys WHERE id = $1`, [id]);
    const row = rows[0];
    if (!row || (row.user_id !== actor.userId && !isAdmin(actor))) throw Errors.notFound('API key', id);
    if (row.revoked_at) return this.toSummary(row);
    const [updated] = returnedRows<ApiKeyRow>(
      await this.dataSource.query(`UPDATE api_keys SET revoked_at = $2::timestamptz WHERE id = $1 AND revoked_at IS NULL RETURNING *`, [
        id,
        new Date(this.settings.now()).toISOString(),
      ]),
    );
    const summary = this.toSummary(updated ?? row);
    await this.audit.record({
      actor: ctx.principal,
      action: 'api_key.revoke',
      targetType: 'api_key',
      targetId: id,
      ip: ctx.ip,
      summary: { name: summary.name, keyPrefix: summary.keyPrefix, ownerId: row.user_id },
    });
    return summary;
  }

  /**
   * The principal a presented key stands for. Unknown, malformed, revoked and expired keys, and
   * keys of disabled accounts, answer 401. The hash is compared in constant time, and expiry or
   * revocation are only told apart once the secret matched.
   */
  async authenticate(presented: string): Promise<UserPrincipal> {
    const prefix = apiKeyPrefix(presented);
    const rows: AuthRow[] = prefix
      ? await this.dataSource.query(
          `SELECT k.id, k.key_hash, k.scopes, k.expires_at, k.revoked_at, k.last_used_at,
                  u.id AS user_id, u.username, u.role, u.privacy_level, u.status
           FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_prefix = $1`,
          [prefix],
        )
      : [];
    const hash = hashApiKey(presented);
    const row = rows.find((r) => sameDigest(r.key_hash.trim(), hash));
    if (!row) {
      sameDigest(DUMMY_HASH, hash);
      throw unauthenticated('auth.api_key_invalid', 'The API key is not valid.');
    }
    const now = this.settings.now();
    if (row.revoked_at) throw unauthenticated('auth.api_key_revoked', 'This API key has been revoked.');
    if (row.expires_at && new Date(row.expires_at).getTime() <= now) throw unauthenticated('auth.api_key_expired', 'This API key has expired.');
    if (row.status !== 'active') throw unauthenticated('auth.api_key_invalid', 'The API key is not valid.');
    if (!row.last_used_at || new Date(row.last_used_at).getTime() <= now - this.settings.apiKeyTouchMs) {
      await this.dataSource.query(`UPDATE api_keys SET last_used_at = $2::timestamptz WHERE id = $1`, [row.id, new Date(now).toISOString()]);
    }
    const scopes = normaliseScopes(parseScopes(row.scopes)).filter((s) => s !== 'write' || roleMayWrite(row.role));
    return { kind: 'user', userId: row.user_id, username: row.username, role: row.role, privacyLevel: row.privacy_level, apiKey: { id: row.id, scopes } };
  }

  private toSummary(row: ApiKeyRow): ApiKeySummary {
    const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
    const expired = row.expires_at !== null && new Date(row.expires_at).getTime() <= this.settings.now();
    return {
      id: row.id,
      userId: row.user_id,
      name: row.name,
      keyPrefix: row.key_prefix,
      scopes: normaliseScopes(parseScopes(row.scopes)),
      status: row.revoked_at ? 'revoked' : expired ? 'expired' : 'active',
      expiresAt: iso(row.expires_at),
      revokedAt: iso(row.revoked_at),
      lastUsedAt: iso(row.last_used_at),
      createdAt: iso(row.created_at)!,
    };
  }
}

interface ApiKeyRow {
  id: number;
  user_id: number;
  name: string;
  key_prefix: string;
  key_hash: string;
  scopes: unknown;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
  created_at: Date | string;
}

interface AuthRow {
  id: number;
  key_hash: string;
  scopes: unknown;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
  user_id: number;
  username: string;
  role: Role;
  privacy_level: PrivacyLevel;
  status: string;
}

/** Guests (the role) have no rights that write; every other role has some (at least its own profile). */
function roleMayWrite(role: Role): boolean {
  return role !== 'guest';
}

function normaliseScopes(scopes: readonly string[]): ApiKeyScope[] {
  const set = new Set(scopes.filter((s): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(s)));
  if (set.has('write')) set.add('read');
  return API_KEY_SCOPES.filter((s) => set.has(s));
}

function parseScopes(raw: unknown): string[] {
  const value = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}

function requireUser(p: Principal): UserPrincipal {
  if (p.kind !== 'user') throw new VitrineError('unauthenticated', 'access.login_required', 'Log in to do this.');
  return p;
}

function unauthenticated(code: string, message: string): VitrineError {
  return new VitrineError('unauthenticated', code, message);
}
