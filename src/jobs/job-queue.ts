import type { EntityManager } from 'typeorm';

/**
 * States of a job as the application sees them. `queued` covers "due now" and "waiting for its
 * run-after" (a retry in backoff); `failed` is final (max attempts reached) until `retry()`.
 */
export type JobState = 'queued' | 'active' | 'completed' | 'failed';

export const JOB_STATES: readonly JobState[] = ['queued', 'active', 'completed', 'failed'];

export interface EnqueueOptions {
  /**
   * The caller's transaction: the job is inserted through it, so the job exists if and only
   * if the caller's rows commit. Without it the job is inserted on its own.
   */
  em?: EntityManager;
  /**
   * At most one queued or active job per (name, singletonKey). A second enqueue while one waits
   * or runs is a no-op and returns null.
   */
  singletonKey?: string;
  /** Attempts before the job ends in `failed` (default 5). */
  maxAttempts?: number;
  /** Earliest start (default now). */
  runAfter?: Date;
}

/**
 * One job as listed for admins and tests. Ids are opaque strings: digits on the table queue,
 * UUIDs on pg-boss.
 */
export interface JobRecord {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  state: JobState;
  /** Attempts started so far (0 while it never ran; reset by `retry()`). */
  attempts: number;
  maxAttempts: number;
  runAfter: Date;
  singletonKey: string | null;
  /** The error of the last failed attempt (kept while a retry waits; cleared on completion). */
  lastError: string | null;
  createdAt: Date;
  /** When it completed, or (pg-boss) ended in `failed`. */
  completedAt: Date | null;
  /** Last change of state. */
  updatedAt: Date;
}

/** What a handler receives. Throwing makes the attempt fail (retried with backoff). */
export interface JobContext<P = Record<string, unknown>> {
  id: string;
  name: string;
  payload: P;
  /** 1 on the first run. */
  attempt: number;
}

export type JobHandler<P = Record<string, unknown>> = (job: JobContext<P>) => Promise<void>;

/** Open jobs of a name (or all): `due` now, `waiting` for a later run-after, `active`. */
export interface OpenJobCounts {
  due: number;
  waiting: number;
  active: number;
}

/**
 * A durable job queue. Handlers must be idempotent: a job may run more than once (a crash after
 * the work but before it was marked completed re-queues it).
 */
export interface JobQueue {
  /** Adds a job; returns its id, or null when a singleton with the same key is already waiting/running. */
  enqueue(name: string, payload: Record<string, unknown>, options?: EnqueueOptions): Promise<string | null>;
  /** Registers the handler for `name` (one per name); the worker starts fetching such jobs. */
  work<P = Record<string, unknown>>(name: string, handler: JobHandler<P>): void;
  /** Jobs in a state (newest first, at most `limit`, default 100, max 1000). */
  list(filter?: { state?: JobState; name?: string; limit?: number }): Promise<JobRecord[]>;
  /** One job, or null (unknown id, or one the queue already archived). */
  get(id: string): Promise<JobRecord | null>;
  /**
   * Re-queues a failed job with a fresh attempt budget. Returns false when it is not failed, the
   * id is unknown, or the same singleton work is already queued or active.
   */
  retry(id: string): Promise<boolean>;
  /** {@link retry} of every failed job (of one name, or all); returns the re-queued ids. */
  retryFailed(name?: string): Promise<string[]>;
  /** How many jobs are in each state (every state present, 0 when none). */
  countByState(): Promise<Record<JobState, number>>;
  /** Open jobs of a name (or all). */
  countOpen(name?: string): Promise<OpenJobCounts>;
  /**
   * Makes queued jobs waiting for a later run-after due now: by id, or by name and optionally
   * singleton key. Returns how many changed (doctor's repair; tests instead of waiting).
   */
  runNow(filter: { id: string } | { name: string; singletonKey?: string }): Promise<number>;
}

/**
 * The queue together with its in-process worker. The app's `JobsModule` starts it after
 * bootstrap and closes it before the database closes; tests and the CLI drive it directly.
 */
export interface JobRunner extends JobQueue {
  /** Which implementation: `table` (src/jobs/db-job.queue.ts) or `pgboss`. */
  readonly kind: 'table' | 'pgboss';
  /** Recovers jobs a dead worker left active (as the implementation allows), then polls until {@link stop}. */
  start(): Promise<void>;
  /** Stops polling and waits for the handlers running in this process. Can be started again. */
  stop(): Promise<void>;
  /** {@link stop}, then releases what the queue holds (pg-boss's connection pool). Final. */
  close(): Promise<void>;
  /** Claims and runs one due job with a registered handler; false when none was due. */
  runOnce(): Promise<boolean>;
  /** Runs due jobs until none is left (including ones the poller had started); returns how many ran. */
  drain(): Promise<number>;
  /** How many jobs this process runs at once (default 1: sharp already uses every core). */
  setConcurrency(concurrency: number): void;
  /** Jobs this process is running right now. */
  readonly inFlightCount: number;
}

/** Nest injection token of the active {@link JobRunner} (inject it as a {@link JobQueue}). */
export const JOB_QUEUE = Symbol('JOB_QUEUE');

/** Job names are plain so they can be logged and used in URLs. */
export const JOB_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** The `lastError` text of a handler's exception. */
export function describeJobError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
