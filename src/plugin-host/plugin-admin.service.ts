import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { VitrineError } from '../common/errors.js';
import type { VitrineConfig } from '../config/config.js';
import { HookRegistry } from '../hooks/hook.registry.js';
import { discoverPlugins, type DiscoveredPlugin } from '../plugins/plugin.discovery.js';
import { PluginLoadError } from '../plugins/plugin.errors.js';
import { importPlugin, loadPlugins, type LoadedPlugin } from '../plugins/plugin.loader.js';
import { PluginLifecycleService, type PluginStatus } from '../plugins/plugin-lifecycle.service.js';
import { readCoreVersion } from '../plugins/plugin-manifest.js';
import { orderPlugins } from '../plugins/plugin-order.js';
import type { PluginContext } from '../plugins/plugin-context.js';
import { PluginHost } from './plugin-host.js';
import { PluginMigrationRunner } from './plugin-migration.runner.js';
import { findVitrineRoot, pluginMainResolver } from './plugin-paths.js';
import { PluginStateRepository } from './plugin-state.repository.js';

/** One plugin as the admin plugins page and `vitrine plugin list` show it. */
export interface PluginListItem {
  name: string;
  version: string;
  description: string | null;
  status: PluginStatus;
  /** Version recorded at install/upgrade, when installed. */
  installedVersion: string | null;
  /** Whether it runs in this process (enabled at the last start). */
  running: boolean;
  dependsOn: string[];
  /** Folder it was found in. */
  dir: string;
}

/** The result of a lifecycle change. */
export interface PluginChange {
  name: string;
  status: PluginStatus;
  /** Routes, controllers, entities and views change at the next start. */
  restartRequired: boolean;
}

/**
 * Plugin administration (admin plugins page, `vitrine plugin …`): list, enable (install on the
 * first enable, after checking that the new set of plugins still loads without conflict),
 * disable (keeps data), uninstall (optionally dropping its tables, metadata and settings).
 * Works with a running {@link PluginHost} (the app: install callbacks get real services) or on
 * its own over the database (CLI: works even when the enabled plugins cannot start).
 */
export class PluginAdminService {
  private constructor(
    private readonly config: VitrineConfig,
    private readonly rootDir: string,
    private readonly coreVersion: string,
    private readonly discovered: readonly DiscoveredPlugin[],
    private readonly store: PluginStateRepository,
    private readonly lifecycle: PluginLifecycleService,
    private readonly running: ReadonlySet<string>,
  ) {}

  /** Over a running host (the app). */
  static async forHost(host: PluginHost, dataSource: DataSource): Promise<PluginAdminService> {
    return new PluginAdminService(
      host.options.config,
      host.rootDir,
      host.coreVersion,
      host.discovered,
      new PluginStateRepository(dataSource),
      host.lifecycle,
      new Set(host.loaded.map((p) => p.name)),
    );
  }

  /** Without the app (CLI `list`, `disable`): plugin callbacks get contexts without services. */
  static async standalone(dataSource: DataSource, config: VitrineConfig, logger: Logger): Promise<PluginAdminService> {
    const rootDir = findVitrineRoot();
    const coreVersion = await readCoreVersion(rootDir);
    const discovered = orderPlugins(await discoverPlugins(PluginHost.roots(config, rootDir), coreVersion));
    const store = new PluginStateRepository(dataSource);
    const resolveMain = pluginMainResolver(rootDir);
    const contextFor = (plugin: LoadedPlugin, options: unknown): PluginContext => {
      const log = logger.child({ plugin: plugin.name });
      const unavailable = new Proxy({}, { get: () => { throw new Error(`Plugin "${plugin.name}": services are not available in this command.`); } });
      return {
        plugin: { name: plugin.name, version: plugin.manifest.version, dir: plugin.dir, tablePrefix: `plugin_${plugin.name.replace(/-/g, '_')}_` },
        coreVersion,
        options,
        hooks: { on: () => () => undefined, applyFilter: async (_n, v, ..._args) => v, doAction: async () => undefined, has: () => false },
        log: { debug: (m, d) => log.debug(d ?? {}, m), info: (m, d) => log.info(d ?? {}, m), warn: (m, d) => log.warn(d ?? {}, m), error: (m, d) => log.error(d ?? {}, m) },
        services: unavailable as PluginContext['services'],
        registries: { keys: () => [] },
      };
    };
    const lifecycle = new PluginLifecycleService({
      store,
      data: new PluginMigrationRunner(dataSource),
      source: { discovered: () => discovered, load: (name) => importPlugin(discovered.find((p) => p.name === name)!, { resolveMain }) },
      contextFor,
    });
    return new PluginAdminService(config, rootDir, coreVersion, discovered, store, lifecycle, new Set());
  }

  async list(): Promise<PluginListItem[]> {
    const rows = new Map((await this.store.list()).map((r) => [r.name, r]));
    return this.discovered.map((p) => {
      const row = rows.get(p.name);
      return {
        name: p.name,
        version: p.manifest.version,
        description: p.manifest.description ?? null,
        status: !row ? 'not-installed' : row.enabled ? 'enabled' : 'disabled',
        installedVersion: row?.version ?? null,
        running: this.running.has(p.name),
        dependsOn: Object.keys(p.manifest.dependsOn),
        dir: p.dir,
      };
    });
  }

  /**
   * Enables (installing on the first enable). Refuses, changing nothing, when the plugins that
   * would then be enabled do not load together (a conflict, a bad definition).
   * @throws VitrineError `plugin.not_found` (404), `plugin.dependency_disabled` (409), `plugin.load_failed` (409)
   */
  async enable(name: string): Promise<PluginChange> {
    this.find(name);
    const enabled = new Set((await this.store.list()).filter((r) => r.enabled).map((r) => r.name));
    if (!enabled.has(name)) {
      try {
        await loadPlugins({
          roots: PluginHost.roots(this.config, this.rootDir),
          coreVersion: this.coreVersion,
          hooks: new HookRegistry({ logger: { error: () => undefined, warn: () => undefined } }),
          isEnabled: (n) => n === name || enabled.has(n),
          resolveMain: pluginMainResolver(this.rootDir),
        });
      } catch (error) {
        if (!(error instanceof PluginLoadError)) throw error;
        throw new VitrineError('conflict', 'plugin.load_failed', `Plugin "${name}" was not enabled: ${error.message}`);
      }
    }
    const outcome = await this.lifecycle.enable(name);
    return { name, status: await this.lifecycle.status(name), ...outcome };
  }

  async disable(name: string): Promise<PluginChange> {
    const outcome = await this.lifecycle.disable(name);
    return { name, status: await this.lifecycle.status(name), ...outcome };
  }

  async uninstall(name: string, options: { dropData: boolean }): Promise<PluginChange> {
    const outcome = await this.lifecycle.uninstall(name, options);
    return { name, status: await this.lifecycle.status(name), ...outcome };
  }

  private find(name: string): DiscoveredPlugin {
    const plugin = this.discovered.find((p) => p.name === name);
    if (!plugin) throw new VitrineError('not_found', 'plugin.not_found', `There is no plugin named "${name.slice(0, 60)}" in ${PluginHost.roots(this.config, this.rootDir).join(', ')}.`);
    return plugin;
  }
}
