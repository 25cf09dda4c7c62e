import { Store, type SessionData } from 'express-session';
import type { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '../database/sql-result.js';
import type { AuthSettings } from './auth.settings.js';

type Callback = (err?: unknown) => void;

/**
 * express-session store on the `sessions` table (connect-pg-simple's shape: `sid`, `sess` json,
 * `expire` timestamp), through the TypeORM DataSource, so it works on PGlite (which has no
 * `pg.Pool`) and on Postgres alike.
 *
 * - `expire` holds UTC wall-clock time and is `min(last use + idle TTL, login + absolute TTL)`;
 *   a row past it is treated as absent (and deleted). Expired rows are pruned at most every
 *   `sessionPruneMs`, piggybacking on writes.
 * - `touch` (express-session calls it on every request that did not change the session) only
 *   writes when the stored expiry is older than `sessionTouchMs`, and never re-creates a row:
 *   a session ended elsewhere (logout, password change, disable) stays dead.
 * - `sess.passport.user` is the user id: `UserService` ends a user's sessions by that path.
 *
 * Never call it inside a `dataSource.transaction(...)` on PGlite (one session: it would wait for itself).
 */
export class DbSessionStore extends Store {
  /** Last expiry this process wrote or read per sid (bounded), so touches skip no-op writes. */
  private readonly knownExpiry = new Map<string, number>();
  private lastPrune = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: AuthSettings,
  ) {
    super();
  }

  override get(sid: string, cb: (err: unknown, session?: SessionData | null) => void): void {
    this.run(cb, async () => {
      const now = this.settings.now();
      const rows: { sess: SessionData | string; expire_ms: string | number }[] = await this.dataSource.query(
        `SELECT sess, extract(epoch FROM expire) * 1000 AS expire_ms FROM sessions WHERE sid = $1`,
        [sid],
      );
      const row = rows[0];
      if (!row) return null;
      const expireMs = Number(row.expire_ms);
      if (!(expireMs > now)) {
        await this.dataSource.query(`DELETE FROM sessions WHERE sid = $1`, [sid]);
        this.knownExpiry.delete(sid);
        return null;
      }
      this.remember(sid, expireMs);
      return typeof row.sess === 'string' ? (JSON.parse(row.sess) as SessionData) : row.sess;
    });
  }

  override set(sid: string, session: SessionData, cb?: Callback): void {
    this.run(cb, async () => {
      const expireMs = this.expiryFor(session);
      await this.dataSource.query(
        `INSERT INTO sessions (sid, sess, expire) VALUES ($1, $2::json, ($3::timestamptz AT TIME ZONE 'UTC'))
         ON CONFLICT (sid) DO UPDATE SET sess = excluded.sess, expire = excluded.expire`,
        [sid, JSON.stringify(session), new Date(expireMs).toISOString()],
      );
      this.remember(sid, expireMs);
      await this.pruneIfDue();
    });
  }

  override touch(sid: string, session: SessionData, cb?: () => void): void {
    this.run(cb as Callback | undefined, async () => {
      const expireMs = this.expiryFor(session);
      const known = this.knownExpiry.get(sid);
      if (known !== undefined && expireMs - known < this.settings.sessionTouchMs) return;
      await this.dataSource.query(`UPDATE sessions SET expire = ($2::timestamptz AT TIME ZONE 'UTC') WHERE sid = $1`, [
        sid,
        new Date(expireMs).toISOString(),
      ]);
      this.remember(sid, expireMs);
    });
  }

  override destroy(sid: string, cb?: Callback): void {
    this.run(cb, async () => {
      this.knownExpiry.delete(sid);
      await this.dataSource.query(`DELETE FROM sessions WHERE sid = $1`, [sid]);
    });
  }

  /** Deletes expired rows now. */
  async prune(): Promise<number> {
    this.lastPrune = this.settings.now();
    const rows = returnedRows<{ sid: string }>(
      await this.dataSource.query(`DELETE FROM sessions WHERE expire <= ($1::timestamptz AT TIME ZONE 'UTC') RETURNING sid`, [
        new Date(this.lastPrune).toISOString(),
      ]),
    );
    return rows.length;
  }

  /** When the session dies if unused from now on. */
  expiryFor(session: SessionData): number {
    const now = this.settings.now();
    const idle = now + this.settings.idleTtlMs;
    return typeof session.authAt === 'number' ? Math.min(idle, session.authAt + this.settings.absoluteTtlMs) : idle;
  }

  private async pruneIfDue(): Promise<void> {
    if (this.settings.now() - this.lastPrune >= this.settings.sessionPruneMs) await this.prune();
  }

  private remember(sid: string, expireMs: number): void {
    if (this.knownExpiry.size >= 10_000) this.knownExpiry.clear();
    this.knownExpiry.set(sid, expireMs);
  }

  private run<T>(cb: ((err: unknown, value?: T) => void) | undefined, work: () => Promise<T>): void {
    work().then(
      (value) => cb?.(null, value),
      (error: unknown) => cb?.(error),
    );
  }
}

/** Ends every session of a user (same JSON path as `UserService`); usable inside a transaction. */
export async function endUserSessions(em: EntityManager | DataSource, userId: number): Promise<void> {
  await em.query(`DELETE FROM sessions WHERE (sess::jsonb #>> '{passport,user}') = $1`, [String(userId)]);
}
