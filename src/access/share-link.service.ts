import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { currentHookContext } from '../hooks/hook-context.js';
import { HookRegistry } from '../hooks/hook.registry.js';
import { DataSource } from 'typeorm';
import { Errors, VitrineError } from '../common/errors.js';
import { returnedRows } from '../database/sql-result.js';
import { PasswordHasher } from '../users/password.hasher.js';
import { bumpAccessEpoch } from './access-epoch.js';
import type { Principal } from './principal.js';

export interface CreateShareLinkInput {
  /** Share an album (with its sub-albums unless includeSubalbums is false)… */
  albumId?: number;
  includeSubalbums?: boolean;
  /** …or exactly these photos. */
  photoIds?: number[];
  label?: string;
  password?: string;
  expiresAt?: Date | null;
  allowDownload?: boolean;
  createdBy?: number | null;
}

export interface ShareLinkSummary {
  id: number;
  label: string | null;
  albumId: number | null;
  includeSubalbums: boolean;
  photoCount: number;
  hasPassword: boolean;
  expiresAt: Date | null;
  allowDownload: boolean;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

/** 32 random bytes: 256 bits, well above the 128-bit floor. */
const TOKEN_BYTES = 32;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Share links: an unguessable token for an album or a set of photos, stored hashed, with an
 * optional password (argon2id), expiry, download right and revocation. Opening a link yields a
 * principal that sees exactly what the link covers.
 */
@Injectable()
export class ShareLinkService {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly hooks: HookRegistry = new HookRegistry(),
  ) {}

  /** `share.opened`, after a visitor opened a link (token or password accepted). Never throws. */
  async opened(linkId: number): Promise<void> {
    if (this.hooks.subscriptions('share.opened').length === 0) return;
    const rows: { id: number; album_id: number | null; label: string | null; expires_at: Date | string | null }[] = await this.dataSource.query(
      `SELECT id, album_id, label, expires_at FROM share_links WHERE id = $1`,
      [linkId],
    );
    const r = rows[0];
    if (!r) return;
    const share = { id: r.id, albumId: r.album_id, label: r.label, expiresAt: r.expires_at === null ? null : new Date(r.expires_at) };
    // hook: share.opened (after commit; errors are logged with the plugin's name)
    await this.hooks.doAction('share.opened', share, { ...currentHookContext(), actor: { userId: null, username: null, role: 'guest', via: 'shareLink' } });
  }

  /** Creates a link; the token is returned once and never stored in clear. */
  async create(input: CreateShareLinkInput): Promise<{ token: string; link: ShareLinkSummary }> {
    const hasAlbum = input.albumId !== undefined;
    const photoIds = [...new Set(input.photoIds ?? [])];
    if (hasAlbum === photoIds.length > 0) {
      throw Errors.invalid('share.scope', 'A share link covers either one album or a list of photos.', [{ path: 'albumId', message: 'albumId or photoIds' }]);
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw Errors.invalid('share.expiry_past', 'The expiry date must be in the future.', [{ path: 'expiresAt', message: 'in the past' }]);
    }
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const passwordHash = input.password ? await PasswordHasher.hash(input.password) : null;
    const id = await this.dataSource.transaction(async (em) => {
      if (hasAlbum && !(await em.query(`SELECT 1 FROM albums WHERE id = $1`, [input.albumId])).length) throw Errors.notFound('album', input.albumId);
      if (photoIds.length) {
        const found: { id: number }[] = await em.query(`SELECT id FROM photos WHERE id = ANY($1::int[])`, [photoIds]);
        if (found.length !== photoIds.length) throw Errors.notFound('photo', photoIds.filter((p) => !found.some((f) => f.id === p)).join(', '));
      }
      const rows: { id: number }[] = await em.query(
        `INSERT INTO share_links (token_hash, label, album_id, include_subalbums, password_hash, expires_at, allow_download, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [hashToken(token), input.label?.trim().slice(0, 200) || null, input.albumId ?? null, input.includeSubalbums ?? true, passwordHash,
          input.expiresAt ?? null, input.allowDownload ?? false, input.createdBy ?? null],
      );
      const linkId = rows[0]!.id;
      if (photoIds.length) {
        await em.query(`INSERT INTO share_link_photos (share_link_id, photo_id) SELECT $1::int, p FROM unnest($2::int[]) p`, [linkId, photoIds]);
      }
      await bumpAccessEpoch(em);
      return linkId;
    });
    return { token, link: await this.get(id) };
  }

  async get(id: number): Promise<ShareLinkSummary> {
    const rows = await this.dataSource.query(`${SELECT_SUMMARY} WHERE s.id = $1`, [id]);
    if (!rows.length) throw Errors.notFound('share link', id);
    return toSummary(rows[0]);
  }

  async list(filter: { albumId?: number } = {}): Promise<ShareLinkSummary[]> {
    const rows = filter.albumId === undefined
      ? await this.dataSource.query(`${SELECT_SUMMARY} ORDER BY s.id DESC`)
      : await this.dataSource.query(`${SELECT_SUMMARY} WHERE s.album_id = $1 ORDER BY s.id DESC`, [filter.albumId]);
    return rows.map(toSummary);
  }

  async revoke(id: number): Promise<ShareLinkSummary> {
    await this.dataSource.transaction(async (em) => {
      const rows = returnedRows(await em.query(`UPDATE share_links SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id`, [id]));
      if (!rows.length) throw Errors.notFound('share link', id);
      await bumpAccessEpoch(em);
    });
    return this.get(id);
  }

  /**
   * Checks a presented token (and password) and returns the principal it grants. Unknown,
   * revoked and expired links all answer the same `share.not_found` (404); a link that needs a
   * password answers `share.password_required` (401) or `share.wrong_password` (401).
   */
  async open(token: string, password?: string): Promise<Principal> {
    const notFound = () => new VitrineError('not_found', 'share.not_found', 'This link does not exist or is no longer valid.');
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) throw notFound();
    const hash = hashToken(token);
    const rows: { id: number; token_hash: string; password_hash: string | null; allow_download: boolean; live: boolean }[] = await this.dataSource.query(
      `SELECT id, token_hash, password_hash, allow_download,
              (revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())) AS live
       FROM share_links WHERE token_hash = $1`,
      [hash],
    );
    const link = rows[0];
    if (!link || !timingSafeEqual(Buffer.from(link.token_hash), Buffer.from(hash)) || !link.live) throw notFound();
    if (link.password_hash) {
      if (!password) throw new VitrineError('unauthenticated', 'share.password_required', 'This link is protected by a password.');
      if (!(await PasswordHasher.verify(link.password_hash, password))) {
        throw new VitrineError('unauthenticated', 'share.wrong_password', 'The password is not right.');
      }
    }
    await this.dataSource.query(`UPDATE share_links SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [link.id]);
    await this.opened(link.id);
    return { kind: 'share', shareLinkId: link.id, role: 'guest', privacyLevel: 0, allowDownload: link.allow_download };
  }
}

/** The principal of an already-opened link (share cookie), or null when it is gone, revoked or expired. */
export async function sharePrincipalFor(dataSource: DataSource, linkId: number): Promise<Principal | null> {
  const rows: { allow_download: boolean }[] = await dataSource.query(
    `SELECT allow_download FROM share_links WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [linkId],
  );
  return rows[0] ? { kind: 'share', shareLinkId: linkId, role: 'guest', privacyLevel: 0, allowDownload: rows[0].allow_download } : null;
}

const SELECT_SUMMARY = `SELECT s.*, (SELECT count(*)::int FROM share_link_photos sp WHERE sp.share_link_id = s.id) AS photo_count FROM share_links s`;

function toSummary(r: Record<string, unknown>): ShareLinkSummary {
  return {
    id: r.id as number,
    label: (r.label as string | null) ?? null,
    albumId: (r.album_id as number | null) ?? null,
    includeSubalbums: r.include_subalbums as boolean,
    photoCount: r.photo_count as number,
    hasPassword: r.password_hash !== null,
    expiresAt: (r.expires_at as Date | null) ?? null,
    allowDownload: r.allow_download as boolean,
    revokedAt: (r.revoked_at as Date | null) ?? null,
    lastUsedAt: (r.last_used_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
  };
}
