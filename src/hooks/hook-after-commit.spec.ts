import { describe, expect, it, vi } from 'vitest';
import { AfterCommitQueue, withAfterCommit, type TransactionRunner } from './hook-after-commit.js';
import type { HookContext, PhotoRef } from './hook-payloads.js';
import { HookRegistry } from './hook.registry.js';

const ctx: HookContext = { actor: { userId: null, username: null, role: 'guest', via: 'system' } };
const photo = { id: 1 } as PhotoRef;
const immediate: TransactionRunner = (work) => work();

function setup() {
  const hooks = new HookRegistry({ logger: { error: vi.fn(), warn: vi.fn() } });
  const seen: string[] = [];
  hooks.on('photo.imported', (p) => void seen.push(`imported ${p.id}`), { plugin: 'a' });
  hooks.on('photo.deleted', (p) => void seen.push(`deleted ${p.id}`), { plugin: 'a' });
  return { hooks, seen };
}

describe('AfterCommitQueue', () => {
  it('holds actions until flush, then runs them in the order added, once', async () => {
    const { hooks, seen } = setup();
    const queue = new AfterCommitQueue(hooks);
    queue.add('photo.imported', photo, ctx);
    queue.add('photo.deleted', { id: 2 } as PhotoRef, ctx);
    expect(seen).toEqual([]);
    expect(queue.size).toBe(2);
    await queue.flush();
    await queue.flush();
    expect(seen).toEqual(['imported 1', 'deleted 2']);
    expect(queue.size).toBe(0);
  });

  it('forgets everything on discard', async () => {
    const { hooks, seen } = setup();
    const queue = new AfterCommitQueue(hooks);
    queue.add('photo.imported', photo, ctx);
    queue.discard();
    await queue.flush();
    expect(seen).toEqual([]);
  });

  it('refuses hooks that are not after-commit actions', () => {
    const { hooks } = setup();
    expect(() => new AfterCommitQueue(hooks).add('photo.beforeImport' as never)).toThrow('is not an after-commit action');
  });

  it('never throws on flush, even when a handler fails', async () => {
    const { hooks, seen } = setup();
    hooks.on('photo.imported', () => { throw new Error('x'); }, { plugin: 'broken', priority: 1 });
    const queue = new AfterCommitQueue(hooks);
    queue.add('photo.imported', photo, ctx);
    await expect(queue.flush()).resolves.toBeUndefined();
    expect(seen).toEqual(['imported 1']);
  });
});

describe('withAfterCommit', () => {
  it('fires the queued actions after the transaction commits and returns its result', async () => {
    const { hooks, seen } = setup();
    const order: string[] = [];
    const transaction: TransactionRunner = async (work) => {
      order.push('begin');
      const result = await work();
      order.push('commit');
      return result;
    };
    const result = await withAfterCommit(hooks, transaction, async (queue) => {
      queue.add('photo.imported', photo, ctx);
      order.push(`inside, fired so far: ${seen.length}`);
      return 42;
    });
    expect(result).toBe(42);
    expect(order).toEqual(['begin', 'inside, fired so far: 0', 'commit']);
    expect(seen).toEqual(['imported 1']);
  });

  it('fires nothing when the transaction rolls back, and rethrows', async () => {
    const { hooks, seen } = setup();
    const run = withAfterCommit(hooks, immediate, async (queue) => {
      queue.add('photo.imported', photo, ctx);
      throw new Error('constraint violated');
    });
    await expect(run).rejects.toThrow('constraint violated');
    expect(seen).toEqual([]);
  });
});
