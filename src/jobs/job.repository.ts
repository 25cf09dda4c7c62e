import type { EntityManager } from 'typeorm';
import { returnedRows } from '../database/sql-result.js';
import type { JobRecord, JobState } from './job-queue.js';

interface JobRow {
  id: number;
  name: string;
  payload: Record<string, unknown>;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_after: Date;
  singleton_key: string | null;
  last_error: string | null;
  created_at: Date;
  completed_at: Date | null;
}

/** A job claimed by a worker (state `active`, attempts already counted). */
export interface ClaimedJob {
  id: number;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

const LAST_ERROR_MAX = 2000;

/** SQL of the `jobs` table. Every method takes the manager to run on (a transaction or not). */
export class JobRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(name: string, payload: Record<string, unknown>, maxAttempts: number, runAfter: Date | null, singletonKey: string | null): Promise<number | null> {
    const rows: { id: number }[] = await this.em.query(
      `INSERT INTO jobs (name, payload, max_attempts, run_after, singleton_key)
       VALUES ($1, $2::jsonb, $3, COALESCE($4::timestamptz, now()), $5)
       ON CONFLICT (name, singleton_key) WHERE singleton_key IS NOT NULL AND state IN ('queued', 'active') DO NOTHING
       RETURNING id`,
      [name, JSON.stringify(payload), maxAttempts, runAfter, singletonKey],
    );
    return rows[0]?.id ?? null;
  }

  /** Claims the oldest due job among `names`; concurrent workers skip rows another one locked. */
  async claim(names: string[]): Promise<ClaimedJob | null> {
    const rows = returnedRows<{ id: number; name: string; payload: Record<string, unknown>; attempts: number; max_attempts: number }>(await this.em.query(
      `UPDATE jobs SET state = 'active', attempts = attempts + 1, locked_at = now(), updated_at = now()
       WHERE id = (
         SELECT id FROM jobs
         WHERE state = 'queued' AND run_after <= now() AND name = ANY($1::text[])
         ORDER BY run_after, id
         FOR UPDATE SKIP LOCKED
         LIMIT 1)
       RETURNING id, name, payload, attempts, max_attempts`,
      [names],
    ));
    const row = rows[0];
    return row ? { id: row.id, name: row.name, payload: row.payload, attempts: row.attempts, maxAttempts: row.max_attempts } : null;
  }

  async complete(id: number): Promise<void> {
    await this.em.query(
      `UPDATE jobs SET state = 'completed', completed_at = now(), locked_at = NULL, last_error = NULL, updated_at = now() WHERE id = $1 AND state = 'active'`,
      [id],
    );
  }

  /** Records a failed attempt: back to `queued` after `delayMs`, or `failed` when attempts are used up. */
  async fail(id: number, error: string, delayMs: number): Promise<void> {
    await this.em.query(
      `UPDATE jobs SET
         state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
         run_after = now() + ($3::int * interval '1 millisecond'),
         last_error = $2, locked_at = NULL, updated_at = now()
       WHERE id = $1 AND state = 'active'`,
      [id, error.slice(0, LAST_ERROR_MAX), Math.round(delayMs)],
    );
  }

  /**
   * Re-queues `active` jobs whose worker died (locked longer than `staleMs` ago); those whose
   * attempts are used up become `failed`. Returns how many rows changed.
   */
  async recoverStale(staleMs: number): Promise<number> {
    const rows = returnedRows<{ id: number }>(await this.em.query(
      `UPDATE jobs SET
         state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
         last_error = COALESCE(last_error, 'The worker stopped while running this job.'),
         run_after = now(), locked_at = NULL, updated_at = now()
       WHERE state = 'active' AND locked_at <= now() - ($1::int * interval '1 millisecond')
       RETURNING id`,
      [Math.round(staleMs)],
    ));
    return rows.length;
  }

  async retry(id: number): Promise<boolean> {
    const rows = returnedRows<{ id: number }>(await this.em.query(
      `UPDATE jobs SET state = 'queued', attempts = 0, run_after = now(), updated_at = now()
       WHERE id = $1 AND state = 'failed'
         AND (singleton_key IS NULL OR NOT EXISTS (
           SELECT 1 FROM jobs o WHERE o.name = jobs.name AND o.singleton_key = jobs.singleton_key AND o.state IN ('queued', 'active')))
       RETURNING id`,
      [id],
    ));
    return rows.length === 1;
  }

  /** Re-queues every failed job (of one name, or all) that has no open singleton sibling; returns their ids. */
  async retryFailed(name: string | null): Promise<number[]> {
    const rows = returnedRows<{ id: number }>(await this.em.query(
      `UPDATE jobs SET state = 'queued', attempts = 0, run_after = now(), updated_at = now()
       WHERE state = 'failed' AND ($1::text IS NULL OR name = $1)
         AND (singleton_key IS NULL OR NOT EXISTS (
           SELECT 1 FROM jobs o WHERE o.name = jobs.name AND o.singleton_key = jobs.singleton_key AND o.state IN ('queued', 'active')))
       RETURNING id`,
      [name],
    ));
    return rows.map((r) => r.id);
  }

  async countOpen(name: string | null): Promise<{ due: number; waiting: number; active: number }> {
    const rows: { due: number; waiting: number; active: number }[] = await this.em.query(
      `SELECT count(*) FILTER (WHERE state = 'queued' AND run_after <= now())::int AS due,
              count(*) FILTER (WHERE state = 'queued' AND run_after > now())::int AS waiting,
              count(*) FILTER (WHERE state = 'active')::int AS active
       FROM jobs WHERE state IN ('queued', 'active') AND ($1::text IS NULL OR name = $1)`,
      [name],
    );
    return rows[0] ?? { due: 0, waiting: 0, active: 0 };
  }

  async list(state: JobState | undefined, name: string | undefined, limit: number): Promise<JobRecord[]> {
    const rows: JobRow[] = await this.em.query(
      `SELECT id, name, payload, state, attempts, max_attempts, run_after, singleton_key, last_error, created_at, completed_at
       FROM jobs WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR name = $2)
       ORDER BY id DESC LIMIT $3`,
      [state ?? null, name ?? null, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      payload: r.payload,
      state: r.state,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      runAfter: r.run_after,
      singletonKey: r.singleton_key,
      lastError: r.last_error,
      createdAt: r.created_at,
      completedAt: r.completed_at,
    }));
  }
}
