import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal.js';
import { Errors } from '../common/errors.js';
import { boundSummary } from './audit.summary.js';

/** One thing that happened, as callers report it. */
export interface AuditEvent {
  /**
   * Who did it: the request's principal (guests appear as `anonymous`), or null for the system
   * itself (CLI, jobs, migrations).
   */
  actor: Principal | null;
  /** Overrides the derived label, e.g. `cli` (bounded to 100 characters). */
  actorLabel?: string;
  /** Dotted verb, lower case: `auth.login`, `api_key.create`, `album.update`, `grant.add` … */
  action: string;
  targetType?: string | null;
  targetId?: string | number | null;
  /** Client address, when there is a request. */
  ip?: string | null;
  /** Small facts about the event. Never put secrets here; known secret keys are redacted anyway. */
  summary?: Record<string, unknown>;
}

/** A stored entry as the API answers it. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: { userId: number | null; label: string };
  action: string;
  target: { type: string | null; id: string | null };
  ip: string | null;
  summary: Record<string, unknown>;
}

export interface AuditQuery {
  /** Entries whose action starts with this, e.g. `auth.` or `auth.login`. */
  actionPrefix?: string;
  actorUserId?: number;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Entries older than this cursor (the `nextCursor` of the previous page). */
  cursor?: string;
  /** Page size, 1–200 (default 50). */
  limit?: number;
}

export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

/**
 * The append-only audit log (`audit_log`; a trigger refuses UPDATE and DELETE). Every module
 * that changes something security-relevant calls {@link AuditService.record}: logins, logouts,
 * API keys (auth), content writes, grants, role changes, share links.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends one entry. Inside a transaction, pass its EntityManager: the entry then commits or
   * rolls back with the change it describes (and on PGlite the call must go through `em`).
   */
  async record(event: AuditEvent, em: EntityManager | DataSource = this.dataSource): Promise<void> {
    if (event.action.length > 100 || !ACTION.test(event.action)) throw new Error(`Invalid audit action "${event.action.slice(0, 100)}"`);
    const actor = event.actor;
    const userId = actor?.kind === 'user' ? actor.userId : null;
    await em.query(
      `INSERT INTO audit_log (actor_user_id, actor_label, action, target_type, target_id, ip, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
      [
        userId,
        (event.actorLabel ?? labelOf(actor)).replace(/\u0000/g, '').slice(0, 100),
        event.action,
        event.targetType?.slice(0, 50) ?? null,
        event.targetId === undefined || event.targetId === null ? null : String(event.targetId).slice(0, 100),
        event.ip?.slice(0, 64) ?? null,
        JSON.stringify(boundSummary(event.summary)),
      ],
    );
  }

  /** Newest first, filtered, one page at a time (keyset pagination on the id). */
  async list(query: AuditQuery = {}): Promise<AuditPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.actionPrefix) add(`action LIKE ? ESCAPE '\\'`, `${query.actionPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (query.actorUserId !== undefined) add('actor_user_id = ?', query.actorUserId);
    if (query.targetType) add('target_type = ?', query.targetType);
    if (query.targetId) add('target_id = ?', query.targetId);
    if (query.from) add('at >= ?', query.from.toISOString());
    if (query.to) add('at < ?', query.to.toISOString());
    if (query.cursor !== undefined) {
      if (!/^\d{1,18}$/.test(query.cursor)) throw Errors.invalid('audit.invalid_cursor', 'The cursor is not valid.', [{ path: 'cursor', message: 'not a cursor' }]);
      add('id < ?', query.cursor);
    }
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT id, at, actor_user_id, actor_label, action, target_type, target_id, ip, summary
       FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit).map(toEntry);
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null };
  }
}

interface AuditRow {
  id: string | number;
  at: Date | string;
  actor_user_id: number | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  summary: Record<string, unknown> | string;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    at: new Date(row.at).toISOString(),
    actor: { userId: row.actor_user_id, label: row.actor_label },
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    ip: row.ip,
    summary: typeof row.summary === 'string' ? (JSON.parse(row.summary) as Record<string, unknown>) : row.summary,
  };
}

/** How an actor appears in the log. */
export function labelOf(actor: Principal | null): string {
  if (!actor) return 'system';
  switch (actor.kind) {
    case 'user':
      return actor.apiKey ? `${actor.username} (API key #${actor.apiKey.id})` : actor.username;
    case 'share':
      return `share link #${actor.shareLinkId}`;
    default:
      return 'anonymous';
  }
}
