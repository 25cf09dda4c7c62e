import type {
  ActionHookName,
  FilterHookName,
  HookArgs,
  HookHandler,
  HookName,
  HookValue,
} from '../hooks/hook-map.js';
import type { Unsubscribe } from '../hooks/hook.registry.js';
import type { PluginContributions } from './plugin-contributions.js';
import type { PluginServices } from './plugin-facades.js';

/** Nest injection token of the {@link PluginContext} in a plugin's providers and controllers. */
export const PLUGIN_CONTEXT = Symbol.for('vitrine.pluginContext');

/** Who the plugin is, as the loader found it. */
export interface PluginInfo {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the plugin folder. */
  readonly dir: string;
  /** Prefix its tables must have: `plugin_<name>_` with hyphens turned into underscores. */
  readonly tablePrefix: string;
}

/** A logger whose lines carry the plugin's name. */
export interface PluginLogger {
  debug(message: string, details?: object): void;
  info(message: string, details?: object): void;
  warn(message: string, details?: object): void;
  error(message: string, details?: object): void;
}

/**
 * Hooks, bound to the plugin: every subscription is tagged with its name, so errors, logs and
 * the admin's "hooks by plugin" view say who did what.
 */
export interface PluginHooks {
  /**
   * Subscribes to a hook. Filters must return the value (the compiler checks its type);
   * actions get the hook's arguments. Unknown names do not compile, and throw at start-up.
   * @param options.priority lower runs first, default 100; equal priorities run in load order
   */
  on<K extends HookName>(name: K, handler: HookHandler<K>, options?: { priority?: number }): Unsubscribe;
  /** Runs a filter (usually one this plugin declared). */
  applyFilter<K extends FilterHookName>(name: K, value: HookValue<K>, ...args: HookArgs<K>): Promise<HookValue<K>>;
  /** Runs an action (usually one this plugin declared). */
  doAction<K extends ActionHookName>(name: K, ...args: HookArgs<K>): Promise<void>;
  /** Whether a hook exists: use it to integrate with another plugin only when it is enabled. */
  has(name: string): boolean;
}

/** Contributions seen by every plugin (read-only), e.g. to list all importers. */
export interface PluginRegistryView {
  /** Keys of the contributions of one kind, with their owner (`core` or a plugin name). */
  keys(kind: string): ReadonlyArray<{ key: string; owner: string }>;
}

/**
 * What a plugin receives in `bootstrap`, `install`, `uninstall` and in its handlers.
 * @typeParam O the plugin's options, as parsed by its options schema
 */
export interface PluginContext<O = unknown> {
  readonly plugin: PluginInfo;
  /** Version of Vitrine that runs the plugin. */
  readonly coreVersion: string;
  /** Current settings, validated by the plugin's `options` schema. */
  readonly options: O;
  readonly hooks: PluginHooks;
  readonly log: PluginLogger;
  readonly services: PluginServices;
  readonly registries: PluginRegistryView;
}

/** Contributions that may depend on options, and so can be added in `register`. */
export type DynamicContributions<O = unknown> = Omit<
  PluginContributions<O>,
  'declaresHooks' | 'views' | 'controllers' | 'providers' | 'entities' | 'migrations'
>;

/**
 * What a plugin receives in `register`, before the application starts: the same context, plus
 * `contribute` for contributions that depend on options (checked for conflicts like static ones).
 * Services may not be used yet.
 */
export interface PluginRegisterContext<O = unknown> extends PluginContext<O> {
  contribute(contributions: DynamicContributions<O>): void;
}
