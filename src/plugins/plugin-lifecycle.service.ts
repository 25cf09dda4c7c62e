import { Errors, VitrineError } from '../common/errors.js';
import type { HookRegistry } from '../hooks/hook.registry.js';
import type { DiscoveredPlugin } from './plugin.discovery.js';
import { PluginLifecycleError } from './plugin.errors.js';
import type { LoadedPlugin } from './plugin.loader.js';
import type { AnyPluginDefinition } from './plugin.types.js';
import type { PluginContext } from './plugin-context.js';
import type { PluginStateStore } from './plugin-state.store.js';

/** Where a plugin stands. */
export type PluginStatus = 'not-installed' | 'disabled' | 'enabled';

/** The plugins on disk, and a way to import one (see `importPlugin`). */
export interface PluginSource {
  discovered(): readonly DiscoveredPlugin[];
  load(name: string): Promise<LoadedPlugin>;
}

/** The plugin's tables and metadata. Implemented by integration with TypeORM. */
export interface PluginDataManager {
  /** Runs the plugin's pending migrations (creates or upgrades its tables). Idempotent. */
  migrate(plugin: LoadedPlugin): Promise<unknown>;
  /** Reverts its migrations (drops `plugin_<name>_*`) and removes its metadata namespace from photos. */
  dropData(plugin: LoadedPlugin): Promise<void>;
}

export interface PluginLifecycleDeps {
  store: PluginStateStore;
  source: PluginSource;
  data: PluginDataManager;
  /** Builds the context handed to `install`, `upgrade` and `uninstall`. */
  contextFor(plugin: LoadedPlugin, options: unknown): PluginContext;
  /** When given, a disabled plugin's hooks are removed at once. */
  hooks?: HookRegistry;
  now?: () => Date;
}

/** Changes that need a restart to fully apply (routes, controllers, entities, views). */
export interface LifecycleOutcome {
  restartRequired: boolean;
}

/**
 * The lifecycle rules, over a {@link PluginStateStore}:
 * - enabling a plugin that is not installed installs it first (migrations, then `install`);
 * - a plugin can be enabled only when its dependencies are enabled, and disabled only when no
 *   enabled plugin depends on it;
 * - disabling keeps tables, metadata and settings; its hooks stop at once;
 * - uninstalling disables first, calls `uninstall(ctx, { dropData })`, drops data only when asked.
 */
export class PluginLifecycleService {
  private readonly now: () => Date;

  constructor(private readonly deps: PluginLifecycleDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async status(name: string): Promise<PluginStatus> {
    this.find(name);
    const row = await this.deps.store.get(name);
    return !row ? 'not-installed' : row.enabled ? 'enabled' : 'disabled';
  }

  /** Installs without enabling (no-op when installed). Settings default from the options schema. */
  async install(name: string, settings?: unknown): Promise<LifecycleOutcome> {
    const plugin = this.find(name);
    if (await this.deps.store.get(name)) return { restartRequired: false };
    await this.requireEnabled(Object.keys(plugin.manifest.dependsOn), name);
    const loaded = await this.deps.source.load(name);
    const options = parsePluginOptions(loaded.definition, settings ?? {});
    await this.deps.data.migrate(loaded);
    await this.callback(name, 'install', () => loaded.definition.install?.(this.deps.contextFor(loaded, options)));
    const at = this.now();
    await this.deps.store.insert({ name, version: plugin.manifest.version, enabled: false, settings: options as Record<string, unknown>, installedAt: at, updatedAt: at });
    return { restartRequired: false };
  }

  /** Enables a plugin, installing it first on its first enable. */
  async enable(name: string, settings?: unknown): Promise<LifecycleOutcome> {
    const plugin = this.find(name);
    await this.requireEnabled(Object.keys(plugin.manifest.dependsOn), name);
    const row = await this.deps.store.get(name);
    if (row?.enabled) return { restartRequired: false };
    if (!row) await this.install(name, settings);
    await this.deps.store.update(name, { enabled: true, updatedAt: this.now() });
    return { restartRequired: true };
  }

  /** Disables a plugin; its data stays. */
  async disable(name: string): Promise<LifecycleOutcome> {
    this.find(name);
    const row = await this.deps.store.get(name);
    if (!row) throw Errors.notFound('plugin', name);
    if (!row.enabled) return { restartRequired: false };
    const dependents = await this.enabledDependents(name);
    if (dependents.length > 0) {
      throw Errors.conflict('plugin.has_dependents', `Plugin "${name}" cannot be disabled: ${list(dependents)} depend${dependents.length === 1 ? 's' : ''} on it and ${dependents.length === 1 ? 'is' : 'are'} enabled. Disable ${dependents.length === 1 ? 'it' : 'them'} first.`);
    }
    await this.deps.store.update(name, { enabled: false, updatedAt: this.now() });
    this.deps.hooks?.unsubscribeAll(name);
    this.deps.hooks?.undeclareAll(name);
    return { restartRequired: true };
  }

  /** Uninstalls (disabling first); `dropData` also drops its tables, metadata and settings. */
  async uninstall(name: string, options: { dropData: boolean }): Promise<LifecycleOutcome> {
    this.find(name);
    const row = await this.deps.store.get(name);
    if (!row) throw Errors.notFound('plugin', name);
    const outcome = row.enabled ? await this.disable(name) : { restartRequired: false };
    const loaded = await this.deps.source.load(name);
    const ctx = this.deps.contextFor(loaded, parsePluginOptions(loaded.definition, row.settings));
    await this.callback(name, 'uninstall', () => loaded.definition.uninstall?.(ctx, { dropData: options.dropData }));
    if (options.dropData) await this.deps.data.dropData(loaded);
    await this.deps.store.delete(name);
    return outcome;
  }

  /** Validates and stores new settings; returns them as parsed. */
  async updateSettings(name: string, settings: unknown): Promise<unknown> {
    this.find(name);
    if (!(await this.deps.store.get(name))) throw Errors.notFound('plugin', name);
    const loaded = await this.deps.source.load(name);
    const parsed = parsePluginOptions(loaded.definition, settings);
    await this.deps.store.update(name, { settings: parsed as Record<string, unknown>, updatedAt: this.now() });
    return parsed;
  }

  /**
   * At start-up, before loading: an enabled plugin whose version on disk differs from the stored
   * one gets its new migrations and `upgrade(ctx, { fromVersion })`. Returns the upgraded names.
   */
  async reconcile(): Promise<string[]> {
    const upgraded: string[] = [];
    const onDisk = new Map(this.deps.source.discovered().map((p) => [p.name, p]));
    for (const row of await this.deps.store.list()) {
      const plugin = onDisk.get(row.name);
      if (!row.enabled || !plugin || plugin.manifest.version === row.version) continue;
      const loaded = await this.deps.source.load(row.name);
      await this.deps.data.migrate(loaded);
      const ctx = this.deps.contextFor(loaded, parsePluginOptions(loaded.definition, row.settings));
      await this.callback(row.name, 'upgrade', () => loaded.definition.upgrade?.(ctx, { fromVersion: row.version }));
      await this.deps.store.update(row.name, { version: plugin.manifest.version, updatedAt: this.now() });
      upgraded.push(row.name);
    }
    return upgraded;
  }

  private find(name: string): DiscoveredPlugin {
    const plugin = this.deps.source.discovered().find((p) => p.name === name);
    if (!plugin) throw Errors.notFound('plugin', name);
    return plugin;
  }

  private async requireEnabled(dependencies: readonly string[], name: string): Promise<void> {
    for (const dep of dependencies) {
      if (!(await this.deps.store.get(dep))?.enabled) {
        throw Errors.conflict('plugin.dependency_disabled', `Plugin "${name}" depends on plugin "${dep}", which is not enabled. Enable "${dep}" first.`);
      }
    }
  }

  private async enabledDependents(name: string): Promise<string[]> {
    const enabled = new Set((await this.deps.store.list()).filter((r) => r.enabled).map((r) => r.name));
    return this.deps.source
      .discovered()
      .filter((p) => enabled.has(p.name) && name in p.manifest.dependsOn)
      .map((p) => p.name);
  }

  private async callback(name: string, step: 'install' | 'upgrade' | 'uninstall', run: () => unknown): Promise<void> {
    try {
      await run();
    } catch (error) {
      throw new PluginLifecycleError(name, step, error);
    }
  }
}

/**
 * Parses settings with a plugin's options schema (defaults filled in).
 * @throws VitrineError `invalid` with one field problem per issue
 */
export function parsePluginOptions(definition: AnyPluginDefinition, settings: unknown): unknown {
  if (!definition.options) return {};
  const result = definition.options.safeParse(settings ?? {});
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  return failSettings(definition.name, fields);
}

function failSettings(name: string, fields: { path: string; message: string }[]): never {
  const summary = fields.map((f) => `${f.path || '(settings)'}: ${f.message}`).join('; ');
  throw new VitrineError('invalid', 'plugin.invalid_settings', `Plugin "${name}" settings are invalid: ${summary}.`, fields);
}

function list(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
