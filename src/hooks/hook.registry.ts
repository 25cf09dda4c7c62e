import { HOOK_CATALOGUE, type HookCatalogueEntry } from './hook-catalogue.js';
import { describeError, HookHandlerError, HookRejection, UnknownHookError } from './hook.errors.js';
import type { ActionHookName, FilterHookName, HookArgs, HookHandler, HookKind, HookName, HookValue } from './hook-map.js';

/** Priority used when a subscription gives none. Lower runs first. */
export const DEFAULT_HOOK_PRIORITY = 100;

/** Name under which core's own subscriptions and hooks are recorded. */
export const CORE_OWNER = 'core';

/** The part of a pino logger the registry uses; a pino instance fits. */
export interface HookLogger {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** How to subscribe: `plugin` tags the subscription (use `'core'` for core code). */
export interface HookSubscribeOptions {
  plugin: string;
  /** Lower runs first; default {@link DEFAULT_HOOK_PRIORITY}. Equal priorities run in registration order. */
  priority?: number;
}

/** One subscription, as introspection (admin "what does each plugin hook into") sees it. */
export interface SubscriptionInfo {
  readonly hook: string;
  readonly plugin: string;
  readonly priority: number;
  /** Registration sequence number across the registry. */
  readonly order: number;
}

/** Removes the subscription it was returned for. */
export type Unsubscribe = () => void;

/** A catalogue entry together with who declared it. */
export interface DeclaredHook extends HookCatalogueEntry {
  readonly owner: string;
}

type AnyHandler = (...args: unknown[]) => unknown;
interface Subscription extends SubscriptionInfo {
  readonly handler: AnyHandler;
}

const consoleLogger: HookLogger = {
  error: (details, message) => console.error(message, details),
  warn: (details, message) => console.warn(message, details),
};

/**
 * Holds every hook subscription and runs them. One instance per application.
 *
 * - `on` checks the name against the catalogue (core hooks plus hooks plugins declared).
 * - Handlers run by priority, ties in registration order; filters run in series.
 * - `inTransaction` hooks propagate errors, wrapped in {@link HookHandlerError} naming plugin and
 *   hook ({@link HookRejection} passes through as is); `afterCommit` hooks log and skip.
 */
export class HookRegistry {
  private readonly hooks = new Map<string, DeclaredHook>();
  private readonly subscribers = new Map<string, Subscription[]>();
  private sequence = 0;
  private readonly logger: HookLogger;

  constructor(options: { logger?: HookLogger; catalogue?: readonly HookCatalogueEntry[] } = {}) {
    this.logger = options.logger ?? consoleLogger;
    for (const entry of options.catalogue ?? HOOK_CATALOGUE) this.declare(entry, CORE_OWNER);
  }

  /**
   * Adds a hook to the catalogue. Plugin hooks must be named `<plugin>.<event>`.
   * @throws Error when the name is taken (naming both declarers) or badly named
   */
  declare(entry: HookCatalogueEntry, owner: string): void {
    const existing = this.hooks.get(entry.name);
    if (existing) {
      throw new Error(`Hook "${entry.name}" is declared twice: by ${label(existing.owner)} and by ${label(owner)}.`);
    }
    if (owner !== CORE_OWNER && !entry.name.startsWith(`${owner}.`)) {
      throw new Error(`Plugin "${owner}" declares hook "${entry.name}": plugin hooks must be named "${owner}.<event>".`);
    }
    this.hooks.set(entry.name, { ...entry, owner });
  }

  /** Whether a hook with this name is declared (use it for optional integrations with other plugins). */
  has(name: string): boolean {
    return this.hooks.has(name);
  }

  /** The declaration of one hook, if any. */
  get(name: string): DeclaredHook | undefined {
    return this.hooks.get(name);
  }

  /** The catalogue: core hooks first, then plugin hooks in declaration order. */
  catalogue(): DeclaredHook[] {
    return [...this.hooks.values()];
  }

  /**
   * Subscribes a handler. A filter handler must return the value; an action handler gets the
   * hook's arguments.
   * @throws UnknownHookError when nobody declared `name`
   */
  on<K extends HookName>(name: K, handler: HookHandler<K>, options: HookSubscribeOptions): Unsubscribe {
    if (!options?.plugin) throw new Error(`Subscription to hook "${name}" has no plugin name.`);
    if (!this.hooks.has(name)) throw new UnknownHookError(name, options.plugin, [...this.hooks.keys()]);
    if (typeof handler !== 'function') {
      throw new TypeError(`Plugin "${options.plugin}" subscribes to hook "${name}" with a ${typeof handler}, not a function.`);
    }
    const priority = options.priority ?? DEFAULT_HOOK_PRIORITY;
    if (!Number.isFinite(priority)) {
      throw new TypeError(`Plugin "${options.plugin}" subscribes to hook "${name}" with priority ${priority}; use a finite number.`);
    }
    const subscription: Subscription = {
      hook: name,
      plugin: options.plugin,
      priority,
      order: this.sequence++,
      handler: handler as AnyHandler,
    };
    const list = [...(this.subscribers.get(name) ?? []), subscription];
    list.sort((a, b) => a.priority - b.priority || a.order - b.order);
    this.subscribers.set(name, list);
    return () => this.remove(name, (s) => s === subscription);
  }

  /** Runs a filter: each handler receives the previous handler's result. Resolves to the final value. */
  async applyFilter<K extends FilterHookName>(name: K, value: HookValue<K>, ...args: HookArgs<K>): Promise<HookValue<K>> {
    const hook = this.require(name, 'filter');
    let current: unknown = value;
    for (const sub of this.subscribers.get(name) ?? []) {
      try {
        const next = await sub.handler(current, ...args);
        if (next === undefined) throw new TypeError('the filter handler returned undefined; a filter must return the value');
        current = next;
      } catch (error) {
        this.fail(hook, sub, error);
      }
    }
    return current as HookValue<K>;
  }

  /** Runs an action: every handler in order, each awaited. */
  async doAction<K extends ActionHookName>(name: K, ...args: HookArgs<K>): Promise<void> {
    const hook = this.require(name, 'action');
    for (const sub of this.subscribers.get(name) ?? []) {
      try {
        await sub.handler(...args);
      } catch (error) {
        this.fail(hook, sub, error);
      }
    }
  }

  /** Removes every subscription of a plugin (when it is disabled). Returns how many were removed. */
  unsubscribeAll(plugin: string): number {
    let removed = 0;
    for (const name of this.subscribers.keys()) removed += this.remove(name, (s) => s.plugin === plugin);
    return removed;
  }

  /** Removes the hooks a plugin declared (when it is disabled), with every subscription to them. */
  undeclareAll(owner: string): void {
    if (owner === CORE_OWNER) throw new Error('Core hooks cannot be removed.');
    for (const [name, hook] of this.hooks) {
      if (hook.owner !== owner) continue;
      this.hooks.delete(name);
      this.subscribers.delete(name);
    }
  }

  /** Current subscriptions, in running order, of one hook or of all hooks. */
  subscriptions(name?: string): SubscriptionInfo[] {
    const lists = name === undefined ? [...this.subscribers.values()] : [this.subscribers.get(name) ?? []];
    return lists.flat().map(({ hook, plugin, priority, order }) => ({ hook, plugin, priority, order }));
  }

  private require(name: string, kind: HookKind): DeclaredHook {
    const hook = this.hooks.get(name);
    if (!hook) throw new UnknownHookError(name, undefined, [...this.hooks.keys()]);
    if (hook.kind !== kind) {
      throw new TypeError(`Hook "${name}" is ${article(hook.kind)}; run it with ${hook.kind === 'filter' ? 'applyFilter' : 'doAction'}.`);
    }
    return hook;
  }

  private fail(hook: DeclaredHook, sub: Subscription, error: unknown): void {
    if (hook.phase === 'inTransaction') {
      if (error instanceof HookRejection) throw error.attribute(sub.plugin, hook.name);
      throw new HookHandlerError(sub.plugin, hook.name, error);
    }
    const what = error instanceof HookRejection ? 'tried to reject after commit (ignored)' : 'failed (ignored, after commit)';
    const message = `Plugin "${sub.plugin}" ${what} in hook "${hook.name}": ${describeError(error)}`;
    try {
      if (error instanceof HookRejection) this.logger.warn({ plugin: sub.plugin, hook: hook.name }, message);
      else this.logger.error({ err: error, plugin: sub.plugin, hook: hook.name }, message);
    } catch {
      // A broken logger must not turn an after-commit hook into a failed request.
    }
  }

  private remove(name: string, match: (s: Subscription) => boolean): number {
    const list = this.subscribers.get(name);
    if (!list) return 0;
    const kept = list.filter((s) => !match(s));
    this.subscribers.set(name, kept);
    return list.length - kept.length;
  }
}

function label(owner: string): string {
  return owner === CORE_OWNER ? 'core' : `plugin "${owner}"`;
}

function article(kind: HookKind): string {
  return kind === 'action' ? 'an action' : 'a filter';
}
