import { AsyncLocalStorage } from 'node:async_hooks';
import type { ActorRef, HookContext } from './hook-payloads.js';

/** The actor of work no request started (jobs without a user, start-up). */
export const SYSTEM_HOOK_ACTOR: ActorRef = Object.freeze({ userId: null, username: null, role: 'webmaster', via: 'system' });

const storage = new AsyncLocalStorage<() => HookContext>();

/**
 * Runs `work` with a hook context, so services deep below a controller can fire hooks with the
 * right actor without threading it through every signature. `context` is a function so the
 * request's principal can be read when a hook fires (auth may resolve it after this runs).
 */
export function runWithHookContext<T>(context: () => HookContext, work: () => T): T {
  return storage.run(context, work);
}

/** The context of the current request or job; system work when there is none. */
export function currentHookContext(): HookContext {
  const get = storage.getStore();
  return get ? get() : { actor: SYSTEM_HOOK_ACTOR };
}
