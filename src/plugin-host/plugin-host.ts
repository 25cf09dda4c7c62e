import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { VitrineConfig } from '../config/config.js';
import { HookRegistry } from '../hooks/hook.registry.js';
import { discoverPlugins, type DiscoveredPlugin } from '../plugins/plugin.discovery.js';
import { bindPluginHooks, importPlugin, loadPlugins, type LoadedPlugin } from '../plugins/plugin.loader.js';
import type { PluginRegistry } from '../plugins/plugin.registry.js';
import { PluginRuntime } from '../plugins/plugin.runtime.js';
import { tablePrefix } from '../plugins/plugin-contribution.collector.js';
import type { PluginContext, PluginLogger } from '../plugins/plugin-context.js';
import type { PluginServices } from '../plugins/plugin-facades.js';
import { PluginLifecycleService, parsePluginOptions } from '../plugins/plugin-lifecycle.service.js';
import { readCoreVersion } from '../plugins/plugin-manifest.js';
import { orderPlugins } from '../plugins/plugin-order.js';
import { CORE_RESERVATIONS } from '../plugins/plugin-reservations.js';
import { PluginMigrationRunner } from './plugin-migration.runner.js';
import { MetadataFieldCatalog } from './plugin-metadata.js';
import { findVitrineRoot, pluginMainResolver } from './plugin-paths.js';
import { createPluginServices, type CoreServices } from './plugin-services.js';
import { PluginStateRepository } from './plugin-state.repository.js';

export interface PluginHostOptions {
  config: VitrineConfig;
  dataSource: DataSource;
  logger: Logger;
  /** Repository root (bundled `plugins/` and the core version); default: found from this file. */
  rootDir?: string;
}

/**
 * The plugin system of one running application. {@link PluginHost.start} runs the start-up
 * sequence before Nest builds the app: discover, apply `PLUGINS_ENABLE`, reconcile upgrades, load
 * the enabled plugins (conflicts stop the start), run their pending migrations, add their
 * entities to the DataSource, `register`. The Nest module ({@link PluginHostModule}) then hands
 * the contributions to their consumers, `attach`es core services, and calls `bootstrap` and
 * `destroy` with the application's lifecycle.
 */
export class PluginHost {
  readonly catalog: MetadataFieldCatalog;
  private core: CoreServices | undefined;
  private readonly contexts = new Map<string, PluginContext>();
  private readonly runtime: PluginRuntime;

  private constructor(
    readonly options: PluginHostOptions,
    readonly rootDir: string,
    readonly coreVersion: string,
    readonly hooks: HookRegistry,
    readonly registry: PluginRegistry,
    readonly discovered: readonly DiscoveredPlugin[],
    readonly loaded: readonly LoadedPlugin[],
    readonly lifecycle: PluginLifecycleService,
    readonly migrations: PluginMigrationRunner,
    private readonly settings: Map<string, Record<string, unknown>>,
  ) {
    this.catalog = MetadataFieldCatalog.fromRegistry(registry);
    this.runtime = new PluginRuntime(loaded, registry, (p) => this.contextFor(p), this.hookLogger());
  }

  /** Folders searched for plugins: the bundled `plugins/`, then `PLUGINS_DIR`. */
  static roots(config: VitrineConfig, rootDir = findVitrineRoot()): string[] {
    return [join(rootDir, 'plugins'), ...config.pluginDirs];
  }

  /**
   * Runs the start-up sequence up to `register`.
   * @throws PluginLoadError / PluginConflictError / PluginLifecycleError: the start-up must stop
   */
  static async start(options: PluginHostOptions): Promise<PluginHost> {
    const rootDir = options.rootDir ?? findVitrineRoot();
    const roots = PluginHost.roots(options.config, rootDir);
    const coreVersion = await readCoreVersion(rootDir);
    const resolveMain = pluginMainResolver(rootDir);
    const { dataSource, logger } = options;
    const hooks = new HookRegistry({ logger: logger.child({ component: 'hooks' }) });
    const store = new PluginStateRepository(dataSource);
    const migrations = new PluginMigrationRunner(dataSource);
    const discovered = orderPlugins(await discoverPlugins(roots, coreVersion));

    let host: PluginHost | undefined;
    const early = new Map<string, PluginContext>();
    const lifecycle = new PluginLifecycleService({
      store,
      data: migrations,
      hooks,
      source: { discovered: () => discovered, load: (name) => importPlugin(discovered.find((p) => p.name === name)!, { resolveMain }) },
      contextFor: (plugin, opts) => (host ?? PluginHost.detached(options, coreVersion, hooks, early)).buildContext(plugin, opts),
    });
    for (const name of options.config.pluginsEnable) {
      if ((await lifecycle.status(name)) !== 'enabled') {
        await lifecycle.enable(name);
        logger.info({ plugin: name }, 'plugin enabled (PLUGINS_ENABLE)');
      }
    }
    const upgraded = await lifecycle.reconcile();
    if (upgraded.length) logger.info({ plugins: upgraded }, 'plugins upgraded');

    const rows = await store.list();
    const enabled = new Set(rows.filter((r) => r.enabled).map((r) => r.name));
    const { loaded, registry } = await loadPlugins({
      roots,
      coreVersion,
      hooks,
      isEnabled: (name) => enabled.has(name),
      reservations: CORE_RESERVATIONS,
      resolveMain,
    });
    for (const plugin of loaded) {
      const ran = await migrations.migrate(plugin);
      if (ran.length) logger.info({ plugin: plugin.name, migrations: ran }, 'plugin migrated');
    }
    await addEntities(dataSource, loaded.flatMap((p) => [...(p.definition.entities ?? [])]));
    host = new PluginHost(options, rootDir, coreVersion, hooks, registry, discovered, loaded, lifecycle, migrations, new Map(rows.map((r) => [r.name, r.settings])));
    await host.runtime.register();
    if (loaded.length) logger.info({ plugins: loaded.map((p) => `${p.name}@${p.manifest.version}`) }, 'plugins loaded');
    return host;
  }

  /** A host with no plugins loaded, only to build contexts for lifecycle callbacks before start. */
  private static detached(options: PluginHostOptions, coreVersion: string, hooks: HookRegistry, cache: Map<string, PluginContext>): PluginHost {
    const host = Object.create(PluginHost.prototype) as PluginHost;
    Object.assign(host, { options, coreVersion, hooks, contexts: cache, catalog: new MetadataFieldCatalog(), settings: new Map(), registry: { view: () => ({ keys: () => [] }) } });
    return host;
  }

  /** Makes core services available to the plugins' facades (once the Nest app is built). */
  attach(core: CoreServices): void {
    this.core = core;
  }

  /** The context of a loaded plugin (cached; options from its stored settings). */
  contextFor(plugin: LoadedPlugin): PluginContext {
    let ctx = this.contexts.get(plugin.name);
    if (!ctx) {
      ctx = this.buildContext(plugin, parsePluginOptions(plugin.definition, this.settings.get(plugin.name) ?? {}));
      this.contexts.set(plugin.name, ctx);
    }
    return ctx;
  }

  /**
   * Validates, stores and applies new settings of a loaded plugin: its context's `options` are
   * the new ones at once (hook handlers and pages read them per call).
   * @throws VitrineError `plugin.invalid_settings` (400)
   */
  async updateSettings(name: string, values: unknown): Promise<unknown> {
    const parsed = await this.lifecycle.updateSettings(name, values);
    this.settings.set(name, parsed as Record<string, unknown>);
    const ctx = this.contexts.get(name);
    if (ctx) (ctx as { options: unknown }).options = parsed;
    return parsed;
  }

  /** The loaded plugin of that name. */
  plugin(name: string): LoadedPlugin | undefined {
    return this.loaded.find((p) => p.name === name);
  }

  buildContext(plugin: LoadedPlugin, options: unknown): PluginContext {
    const log = this.options.logger.child({ plugin: plugin.name });
    const pluginLog: PluginLogger = {
      debug: (message, details) => log.debug(details ?? {}, message),
      info: (message, details) => log.info(details ?? {}, message),
      warn: (message, details) => log.warn(details ?? {}, message),
      error: (message, details) => log.error(details ?? {}, message),
    };
    const services: PluginServices = createPluginServices(
      plugin,
      () => {
        if (!this.core) throw new Error(`Plugin "${plugin.name}": services are not available before the application runs (use them in bootstrap() or in handlers, not in register()).`);
        return this.core;
      },
      () => this.catalog,
      undefined,
      (values: unknown) => this.updateSettings(plugin.name, values),
    );
    return {
      plugin: { name: plugin.name, version: plugin.manifest.version, dir: plugin.dir, tablePrefix: tablePrefix(plugin.name) },
      coreVersion: this.coreVersion,
      options,
      hooks: bindPluginHooks(this.hooks, plugin.name),
      log: pluginLog,
      services,
      registries: this.registry.view(),
    };
  }

  /** `bootstrap(ctx)` of every loaded plugin, in dependency order. */
  bootstrap(): Promise<void> {
    return this.runtime.bootstrap();
  }

  /** `destroy()` in reverse order; never throws. */
  destroy(): Promise<void> {
    return this.runtime.destroy();
  }

  private hookLogger() {
    const log = this.options.logger;
    return { error: (d: object, m: string) => log.error(d, m), warn: (d: object, m: string) => log.warn(d, m) };
  }
}

/** Adds plugin entities to an initialised DataSource (metadata is rebuilt; no schema change). */
async function addEntities(dataSource: DataSource, entities: unknown[]): Promise<void> {
  if (entities.length === 0) return;
  const current = (dataSource.options.entities ?? []) as unknown[];
  const missing = entities.filter((e) => !current.includes(e));
  if (missing.length === 0) return;
  Object.assign(dataSource.options, { entities: [...current, ...missing] });
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
}
