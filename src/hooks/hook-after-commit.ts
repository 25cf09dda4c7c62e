import type { AfterCommitActionName, HookArgs } from './hook-map.js';
import type { HookRegistry } from './hook.registry.js';

interface PendingAction {
  readonly name: AfterCommitActionName;
  readonly args: readonly unknown[];
}

/**
 * Collects `afterCommit` actions while a transaction runs, so they fire only once the data is
 * committed, and never when it is rolled back.
 *
 * ```ts
 * const queue = new AfterCommitQueue(hooks);
 * await dataSource.transaction(async (em) => {
 *   const photo = await repo.insert(...);
 *   queue.add('photo.imported', toPhotoRef(photo), ctx);
 * }).catch((e) => { queue.discard(); throw e; });
 * await queue.flush();
 * ```
 * {@link withAfterCommit} does exactly this.
 */
export class AfterCommitQueue {
  private pending: PendingAction[] = [];

  constructor(private readonly hooks: HookRegistry) {}

  /** Queues an after-commit action with its arguments (checked like `doAction`). */
  add<K extends AfterCommitActionName>(name: K, ...args: HookArgs<K>): void {
    const hook = this.hooks.get(name);
    if (!hook || hook.kind !== 'action' || hook.phase !== 'afterCommit') {
      throw new TypeError(`Hook "${name}" is not an after-commit action and cannot be queued.`);
    }
    this.pending.push({ name, args });
  }

  /** How many actions wait. */
  get size(): number {
    return this.pending.length;
  }

  /** Runs the queued actions in the order they were added, then empties the queue. Never throws. */
  async flush(): Promise<void> {
    const actions = this.pending;
    this.pending = [];
    for (const action of actions) {
      try {
        await this.hooks.doAction(action.name, ...(action.args as HookArgs<typeof action.name>));
      } catch (error) {
        // doAction already isolates handler errors of after-commit hooks; this is a last guard.
        console.error(`After-commit action "${action.name}" could not run`, error);
      }
    }
  }

  /** Forgets the queued actions (the transaction was rolled back). */
  discard(): void {
    this.pending = [];
  }
}

/** Runs `work` in a transaction; the shape of `DataSource.transaction` without its arguments. */
export type TransactionRunner = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * Runs `work` inside `transaction` with a fresh {@link AfterCommitQueue}; flushes the queue after
 * the commit, discards it on rollback. The result (or error) of `work` is passed through.
 *
 * ```ts
 * return withAfterCommit(hooks, (fn) => dataSource.transaction(() => fn()), async (queue) => { ... });
 * ```
 */
export async function withAfterCommit<T>(
  hooks: HookRegistry,
  transaction: TransactionRunner,
  work: (queue: AfterCommitQueue) => Promise<T>,
): Promise<T> {
  const queue = new AfterCommitQueue(hooks);
  let result: T;
  try {
    result = await transaction(() => work(queue));
  } catch (error) {
    queue.discard();
    throw error;
  }
  await queue.flush();
  return result;
}
