import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';

const pending = new WeakMap<QueryRunner, Array<() => void>>();
const registered = new WeakSet<DataSource>();

/** One subscriber per DataSource: runs the callbacks of a query runner once its outermost transaction commits. */
const subscriber: EntitySubscriberInterface = {
  afterTransactionCommit({ queryRunner }) {
    if (queryRunner.isTransactionActive) return; // a savepoint was released: the transaction goes on
    const callbacks = pending.get(queryRunner);
    pending.delete(queryRunner);
    for (const callback of callbacks ?? []) callback();
  },
  afterTransactionRollback({ queryRunner }) {
    if (!queryRunner.isTransactionActive) pending.delete(queryRunner);
  },
};

/**
 * Calls `callback` right after the transaction of `em` commits (never on rollback), so a worker
 * can fetch a job enqueued in it at once. Returns false when `em` is not in a transaction.
 */
export function afterCommit(em: EntityManager, callback: () => void): boolean {
  const queryRunner = em.queryRunner;
  if (!queryRunner?.isTransactionActive) return false;
  if (!registered.has(em.dataSource)) {
    registered.add(em.dataSource);
    em.dataSource.subscribers.push(subscriber);
  }
  const callbacks = pending.get(queryRunner) ?? [];
  callbacks.push(callback);
  pending.set(queryRunner, callbacks);
  return true;
}
