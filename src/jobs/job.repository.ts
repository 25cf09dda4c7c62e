import type { EntityManager } from 'typeorm';
import { returnedRows } from '../database/sql-result.js';
import { JOB_STATES, type JobRecord, type JobState, type OpenJobCounts } from './job-queue.js';
import type { ClaimedJob } from './polling-job.queue.js';

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
  updated_at: Date;
}

const LAST_ERROR_MAX = 2000;
const COLUMNS = 'id, name, payload, state, attempts, max_attempts, run_after, singleton_key, last_error, created_at, completed_at, updated_at';
/** Table ids are bigint serials; anything else is not a job of this table. */
const TABLE_ID = /^\d{1,15}$/;

/** SQL of the `jobs` table (the table queue). Every method takes the manager to run on (a transaction or not). */
export class JobRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(name: string, payload: Record<string, unknown>, maxAttempts: number, runAfter: Date | null, singletonKey: string | null): Promise<string | null> {
    const rows: { id: number }[] = await this.em.query(
      `INSERT INTO jobs (name, payload, max_attempts, run_after, singleton_key)
       VALUES ($1, $2::jsonb, $3, COALESCE($4::timestamptz, now()), $5)
       ON CONFLICT (name, singleton_key) WHERE singleton_key IS NOT NULL AND state IN ('queued', 'active') DO NOTHING
       RETURNING id`,
      [name, JSON.stringify(payload), maxAttempts, runAfter, singletonKey],
    );
    return rows[0] ? String(rows[0].id) : null;
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
    return row ? { id: String(row.id), name: row.name, payload: row.payload, attempts: row.attempts, maxAttempts: row.max_attempts } : null;
  }

  async complete(id: string): Promise<void> {
    await this.em.query(
      `UPDATE jobs SET state = 'completed', completed_at = now(), locked_at = NULL, last_error = NULL, updated_at = now() WHERE id = $1 AND state = 'active'`,
      [id],
    );
  }

  /** Records a failed attempt: back to `queued` after `delayMs`, or `failed` when attempts are used up. */
  async fail(id: string, error: string, delayMs: number): Promise<void> {
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

  async retry(id: string): Promise<boolean> {
    if (!TABLE_ID.test(id)) return false;
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
  async retryFailed(name: string | null): Promise<string[]> {
    const rows = returnedRows<{ id: number }>(await this.em.query(
      `UPDATE jobs SET state = 'queued', attempts = 0, run_after = now(), updated_at = now()
       WHERE state = 'failed' AND ($1::text IS NULL OR name = $1)
         AND (singleton_key IS NULL OR NOT EXISTS (
           SELECT 1 FROM jobs o WHERE o.name = jobs.name AND o.singleton_key = jobs.singleton_key AND o.state IN ('queued', 'active')))
       RETURNING id`,
      [name],
    ));
    return rows.map((r) => String(r.id));
  }

  async countOpen(name: string | null): Promise<OpenJobCounts> {
    const rows: OpenJobCounts[] = await this.em.query(
      `SELECT count(*) FILTER (WHERE state = 'queued' AND run_after <= now())::int AS due,
              count(*) FILTER (WHERE state = 'queued' AND run_after > now())::int AS waiting,
              count(*) FILTER (WHERE state = 'active')::int AS active
       FROM jobs WHERE state IN ('queued', 'active') AND ($1::text IS NULL OR name = $1)`,
      [name],
    );
    return rows[0] ?? { due: 0, waiting: 0, active: 0 };
  }

  async countByState(): Promise<Record<JobState, number>> {
    const rows: { state: JobState; n: number }[] = await this.em.query(`SELECT state, count(*)::int AS n FROM jobs GROUP BY state`);
    return Object.fromEntries(JOB_STATES.map((s) => [s, rows.find((r) => r.state === s)?.n ?? 0])) as Record<JobState, number>;
  }

  /** Makes waiting queued jobs due now; returns how many. */
  async runNow(filter: { id: string } | { name: string; singletonKey?: string }): Promise<number> {
    if ('id' in filter && !TABLE_ID.test(filter.id)) return 0;
    const rows = returnedRows<{ id: number }>(await this.em.query(
      `UPDATE jobs SET run_after = now(), updated_at = now()
       WHERE state = 'queued' AND run_after > now()
         AND ($1::bigint IS NULL OR id = $1) AND ($2::text IS NULL OR name = $2) AND ($3::text IS NULL OR singleton_key = $3)
       RETURNING id`,
      'id' in filter ? [filter.id, null, null] : [null, filter.name, filter.singletonKey ?? null],
    ));
    return rows.length;
  }

  async get(id: string): Promise<JobRecord | null> {
    if (!TABLE_ID.test(id)) return null;
    const rows: JobRow[] = await this.em.query(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(state: JobState | undefined, name: string | undefined, limit: number): Promise<JobRecord[]> {
    const rows: JobRow[] = await this.em.query(
      `SELECT ${COLUMNS}
       FROM jobs WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR name = $2)
       ORDER BY id DESC LIMIT $3`,
      [state ?? null, name ?? null, limit],
    );
    return rows.map(toRecord);
  }
}

function toRecord(r: JobRow): JobRecord {
  return {
    id: String(r.id),
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
    updatedAt: r.updated_at,
  };
}
