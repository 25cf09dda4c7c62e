import type { EntityManager } from 'typeorm';

/** States of a job row. `failed` is final (max attempts reached); `retry()` re-queues it. */
export type JobState = 'queued' | 'active' | 'completed' | 'failed';

export interface EnqueueOptions {
  /**
   * The caller's transaction: the job row is inserted through it, so the job exists if and only
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

/** One job as listed for admins and tests. */
export interface JobRecord {
  id: number;
  name: string;
  payload: Record<string, unknown>;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAfter: Date;
  singletonKey: string | null;
  lastError: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** What a handler receives. Throwing makes the attempt fail (retried with backoff). */
export interface JobContext<P = Record<string, unknown>> {
  id: number;
  name: string;
  payload: P;
  /** 1 on the first run. */
  attempt: number;
}

export type JobHandler<P = Record<string, unknown>> = (job: JobContext<P>) => Promise<void>;

/**
 * A durable job queue. Handlers must be idempotent: a job may run more than once (a crash after
 * the work but before it was marked completed re-queues it).
 */
export interface JobQueue {
  /** Adds a job; returns its id, or null when a singleton with the same key is already waiting/running. */
  enqueue(name: string, payload: Record<string, unknown>, options?: EnqueueOptions): Promise<number | null>;
  /** Registers the handler for `name` (one per name); the worker starts fetching such jobs. */
  work<P = Record<string, unknown>>(name: string, handler: JobHandler<P>): void;
  /** Jobs in a state (newest first, at most `limit`, default 100). */
  list(filter?: { state?: JobState; name?: string; limit?: number }): Promise<JobRecord[]>;
  /** Re-queues a failed job with a fresh attempt budget. Returns false when it is not failed. */
  retry(id: number): Promise<boolean>;
}

/** Nest injection token of the active {@link JobQueue}. */
export const JOB_QUEUE = Symbol('JOB_QUEUE');

/** Job names are plain so they can be logged and used in URLs. */
export const JOB_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
