import type { EntityManager } from 'typeorm';
import { returnedRows } from '../database/sql-result.js';
import { JOB_STATES, type JobRecord, type JobState, type OpenJobCounts } from './job-queue.js';

/** The schema pg-boss creates and migrates by itself (PgBossJobQueue starts it). */
export const PGBOSS_SCHEMA = 'pgboss';
const S = PGBOSS_SCHEMA;
/** pg-boss's own queues (cron, etc.) are not ours to show. */
const OURS = `name NOT LIKE '\\_\\_pgboss\\_\\_%'`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** pg-boss states (enum `pgboss.job_state`) behind each application state. */
const PGBOSS_STATES: Record<JobState, string[]> = {
  queued: ['created', 'retry'],
  active: ['active'],
  completed: ['completed'],
  failed: ['failed', 'cancelled'],
};
const APP_STATE = `CASE WHEN state IN ('created', 'retry') THEN 'queued' WHEN state = 'cancelled' THEN 'failed' ELSE state::text END`;
const COLUMNS = `id::text AS id, name, data, ${APP_STATE} AS app_state, started_on, retry_count, retry_limit, start_after, singleton_key,
  COALESCE(output->>'message', output#>>'{value,message}', output->>'value') AS last_error, created_on, completed_on`;

interface BossRow {
  id: string;
  name: string;
  data: Record<string, unknown> | null;
  app_state: JobState;
  started_on: Date | null;
  retry_count: number;
  retry_limit: number;
  start_after: Date;
  singleton_key: string | null;
  last_error: string | null;
  created_on: Date;
  completed_on: Date | null;
}

/** Whether `id` can be a pg-boss job id. */
export function isBossJobId(id: string): boolean {
  return UUID.test(id);
}

/**
 * The reads and administrative writes pg-boss 10 has no API for (listing, counts, retry with a
 * fresh budget, run-now), as SQL on its `pgboss.job` table. Enqueue, fetch, complete and fail go
 * through pg-boss itself (PgBossJobQueue).
 */
export class PgBossJobRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Our partial UNIQUE index on pg-boss's partitioned job table: one queued or active job per
   * (name, singleton key). pg-boss inserts with `ON CONFLICT DO NOTHING`, so a second `send` of the
   * same key returns null, in the caller's transaction too; pg-boss's own moves (fetch, fail into
   * a retry as delete + insert in one statement, complete) never hold two open rows of one key.
   * Created IF NOT EXISTS at each start (new queues' partitions inherit it).
   */
  async ensureSingletonIndex(): Promise<void> {
    await this.em.query(`SELECT pg_advisory_xact_lock(hashtextextended('vitrine.job-index', 0))`);
    await this.em.query(`DROP INDEX IF EXISTS ${S}.vitrine_job_singleton`); // non-unique first version
    await this.em.query(`CREATE UNIQUE INDEX IF NOT EXISTS vitrine_job_singleton_key ON ${S}.job (name, singleton_key) WHERE singleton_key IS NOT NULL AND state < 'completed'`);
  }

  /** Names of open jobs the table queue left in `jobs` (an installation that ran it before). */
  async tableQueueNames(): Promise<string[]> {
    const rows: { name: string }[] = await this.em.query(`SELECT DISTINCT name FROM jobs WHERE state IN ('queued', 'active')`);
    return rows.map((r) => r.name);
  }

  /** Removes the table queue's open jobs and returns them (call in the transaction that re-sends them). */
  async takeTableQueueJobs(): Promise<Array<{ name: string; payload: Record<string, unknown>; singleton_key: string | null; max_attempts: number; run_after: Date }>> {
    return returnedRows(await this.em.query(`DELETE FROM jobs WHERE state IN ('queued', 'active') RETURNING name, payload, singleton_key, max_attempts, run_after`));
  }

  /** Active jobs whose `expire_in` passed (their worker died or hangs): pg-boss's maintenance fails them into a retry. */
  async countExpired(): Promise<number> {
    const rows: { n: number }[] = await this.em.query(`SELECT count(*)::int AS n FROM ${S}.job WHERE state = 'active' AND started_on + expire_in < now()`);
    return rows[0]?.n ?? 0;
  }

  async get(id: string): Promise<JobRecord | null> {
    if (!isBossJobId(id)) return null;
    const rows: BossRow[] = await this.em.query(`SELECT ${COLUMNS} FROM ${S}.job WHERE id = $1::uuid AND ${OURS}`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(state: JobState | undefined, name: string | undefined, limit: number): Promise<JobRecord[]> {
    const rows: BossRow[] = await this.em.query(
      `SELECT ${COLUMNS} FROM ${S}.job
       WHERE ${OURS} AND ($1::text[] IS NULL OR state::text = ANY($1::text[])) AND ($2::text IS NULL OR name = $2)
       ORDER BY created_on DESC, id DESC LIMIT $3`,
      [state ? PGBOSS_STATES[state] : null, name ?? null, limit],
    );
    return rows.map(toRecord);
  }

  /** The name of the failed job `id` (the partition to update), or null. */
  async failedJobName(id: string): Promise<string | null> {
    if (!isBossJobId(id)) return null;
    const rows: { name: string }[] = await this.em.query(`SELECT name FROM ${S}.job WHERE id = $1::uuid AND state IN ('failed', 'cancelled') AND ${OURS}`, [id]);
    return rows[0]?.name ?? null;
  }

  async failedIds(name: string | null): Promise<string[]> {
    const rows: { id: string }[] = await this.em.query(
      `SELECT id::text AS id FROM ${S}.job WHERE state IN ('failed', 'cancelled') AND ${OURS} AND ($1::text IS NULL OR name = $1) ORDER BY created_on, id`,
      [name],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Re-queues a failed job with a fresh budget: as if never started (pg-boss counts
   * `retry_count` from the second start), due now, kept for another retention period.
   */
  async requeue(name: string, id: string): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(await this.em.query(
      `UPDATE ${S}.job SET state = 'created', retry_count = 0, started_on = NULL, completed_on = NULL, start_after = now(),
         keep_until = GREATEST(keep_until, now() + interval '14 days')
       WHERE name = $1 AND id = $2::uuid AND state IN ('failed', 'cancelled')
       RETURNING id`,
      [name, id],
    ).catch((error: unknown) => {
      // The same singleton work is queued or active again: the unique index refuses a second one.
      if ((error as { code?: string }).code === '23505' || (error as { driverError?: { code?: string } }).driverError?.code === '23505') return [];
      throw error;
    }));
    return rows.length === 1;
  }

  async countByState(): Promise<Record<JobState, number>> {
    const rows: { s: JobState; n: number }[] = await this.em.query(`SELECT ${APP_STATE} AS s, count(*)::int AS n FROM ${S}.job WHERE ${OURS} GROUP BY 1`);
    return Object.fromEntries(JOB_STATES.map((s) => [s, rows.find((r) => r.s === s)?.n ?? 0])) as Record<JobState, number>;
  }

  async countOpen(name: string | null): Promise<OpenJobCounts> {
    const rows: OpenJobCounts[] = await this.em.query(
      `SELECT count(*) FILTER (WHERE state < 'active' AND start_after <= now())::int AS due,
              count(*) FILTER (WHERE state < 'active' AND start_after > now())::int AS waiting,
              count(*) FILTER (WHERE state = 'active')::int AS active
       FROM ${S}.job WHERE state <= 'active' AND ${OURS} AND ($1::text IS NULL OR name = $1)`,
      [name],
    );
    return rows[0] ?? { due: 0, waiting: 0, active: 0 };
  }

  async runNow(filter: { id: string } | { name: string; singletonKey?: string }): Promise<number> {
    if ('id' in filter && !isBossJobId(filter.id)) return 0;
    const rows = returnedRows<{ id: string }>(await this.em.query(
      `UPDATE ${S}.job SET start_after = now()
       WHERE state < 'active' AND start_after > now() AND ${OURS}
         AND ($1::uuid IS NULL OR id = $1) AND ($2::text IS NULL OR name = $2) AND ($3::text IS NULL OR singleton_key = $3)
       RETURNING id`,
      'id' in filter ? [filter.id, null, null] : [null, filter.name, filter.singletonKey ?? null],
    ));
    return rows.length;
  }
}

function toRecord(r: BossRow): JobRecord {
  return {
    id: r.id,
    name: r.name,
    payload: r.data ?? {},
    state: r.app_state,
    attempts: r.started_on ? r.retry_count + 1 : 0,
    maxAttempts: r.retry_limit + 1,
    runAfter: r.start_after,
    singletonKey: r.singleton_key,
    lastError: r.last_error,
    createdAt: r.created_on,
    completedAt: r.completed_on,
    updatedAt: r.completed_on ?? r.started_on ?? r.created_on,
  };
}
