import type { ZodType } from 'zod';
import type { PluginContext, PluginHooks, PluginRegisterContext } from './plugin-context.js';
import type { PluginContributions } from './plugin-contributions.js';

/** The options of a plugin without an options schema: none. */
export type NoOptions = Record<never, never>;

/**
 * A Vitrine plugin, as its `main` module exports it: `export default definePlugin({ ... })`.
 *
 * The plugin's `package.json` is the authority for name, version, compatibility and
 * dependencies (the loader reads it without running code). `name` must repeat the package name;
 * `version`, `compatibility` and `dependsOn` may be repeated for readers, and must then agree.
 *
 * Lifecycle, in order:
 * 1. `install(ctx)` once, when an admin first enables the plugin (after its migrations ran);
 * 2. at every start-up of an enabled plugin: `hooks(h)`, then `register(ctx)`, then, once the
 *    application runs, `bootstrap(ctx)`; at shutdown `destroy()`;
 * 3. disabling stops it (hooks are removed at once, the rest at the next restart) and keeps its
 *    data; `uninstall(ctx, { dropData })` runs when an admin removes it.
 *
 * @typeParam O the options type, inferred from the `options` schema
 */
export interface PluginDefinition<O = NoOptions> extends PluginContributions<O> {
  /** The package name, lower-case kebab-case, e.g. `film-roll`. Namespaces everything the plugin adds. */
  name: string;
  /** The plugin's version (semver). Must equal package.json's when given. */
  version?: string;
  /** Vitrine versions it runs on, a semver range such as `^0.1`. Must equal package.json's when given. */
  compatibility?: string;
  /** Plugins that must be enabled and load first. Must equal package.json's when given. */
  dependsOn?: readonly string[];
  /** One sentence for the plugin list. */
  description?: string;
  /**
   * Settings schema (zod). Settings are stored in the `plugins` table, edited in the admin, and
   * given to the plugin as `ctx.options`. Give every field a default so the plugin can be enabled
   * without configuration.
   */
  options?: ZodType<O>;
  /**
   * Subscribes to hooks. Called at start-up for enabled plugins, after every plugin declared its
   * hooks. Keep it declarative: no I/O here.
   */
  hooks?(h: PluginHooks): void;
  /** Before the application starts: add contributions that depend on options. No I/O on services. */
  register?(ctx: PluginRegisterContext<O>): void | Promise<void>;
  /** Once the application runs: start timers, warm caches. Services are available. */
  bootstrap?(ctx: PluginContext<O>): void | Promise<void>;
  /** At shutdown, in reverse load order: stop timers, close connections. */
  destroy?(): void | Promise<void>;
  /** Once, on first enable, after the plugin's migrations ran: seed data. Must be safe to re-run. */
  install?(ctx: PluginContext<O>): void | Promise<void>;
  /** When a new version starts for the first time, after its new migrations ran. */
  upgrade?(ctx: PluginContext<O>, change: { fromVersion: string }): void | Promise<void>;
  /**
   * When an admin uninstalls the plugin, before its data is dropped (`dropData: true`: tables
   * reverted, metadata namespace and settings deleted) or kept (`dropData: false`).
   */
  uninstall?(ctx: PluginContext<O>, options: { dropData: boolean }): void | Promise<void>;
}

/**
 * Declares a plugin. It returns its argument unchanged; its purpose is the types: `ctx.options`
 * gets the type of the `options` schema, hook handlers are checked against the hook map, and
 * contribution lists are checked as you type.
 *
 * ```ts
 * export default definePlugin({
 *   name: 'film-roll',
 *   options: z.object({ defaultStock: z.string().default('HP5') }),
 *   metadataFields: [{ key: 'filmStock', type: 'string', label: 'Film stock', public: true }],
 *   hooks(h) {
 *     h.on('photo.imported', (photo, ctx) => { ... });
 *   },
 * });
 * ```
 */
export function definePlugin<O = NoOptions>(definition: PluginDefinition<O>): PluginDefinition<O> {
  return definition;
}

/** A definition whose options type is no longer known (what the loader handles). */
export type AnyPluginDefinition = PluginDefinition<any>;
