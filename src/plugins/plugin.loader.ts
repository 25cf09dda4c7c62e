import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError, UnknownHookError } from '../hooks/hook.errors.js';
import type { HookRegistry } from '../hooks/hook.registry.js';
import { discoverPlugins, type DiscoveredPlugin } from './plugin.discovery.js';
import { PluginLoadError } from './plugin.errors.js';
import { PluginRegistry, type Reservations } from './plugin.registry.js';
import type { AnyPluginDefinition } from './plugin.types.js';
import { collectContributions } from './plugin-contribution.collector.js';
import type { PluginHooks } from './plugin-context.js';
import { validatePluginDefinition } from './plugin-definition.validator.js';
import { enabledInOrder, orderPlugins } from './plugin-order.js';
import { CORE_RESERVATIONS } from './plugin-reservations.js';

/** A plugin whose code was imported and whose definition passed validation. */
export interface LoadedPlugin extends DiscoveredPlugin {
  /** Absolute path of the module that was imported. */
  mainFile: string;
  definition: AnyPluginDefinition;
}

/** How to find and import plugin modules. */
export interface PluginImportOptions {
  /** Maps a plugin to the file to import; default `<dir>/<main>`. See {@link compiledMainResolver}. */
  resolveMain?: (plugin: DiscoveredPlugin) => string;
  /** Imports a module by file URL; default `import()`. */
  importModule?: (url: string) => Promise<unknown>;
}

export interface PluginLoaderOptions extends PluginImportOptions {
  /** Folders holding plugin folders, e.g. `[<repo>/plugins]`. */
  roots: readonly string[];
  /** The running Vitrine version (see `readCoreVersion`). */
  coreVersion: string;
  hooks: HookRegistry;
  /** Which plugins to load (from the `plugins` table); default: all. */
  isEnabled?: (name: string) => boolean;
  /** Names core keeps; default {@link CORE_RESERVATIONS}. */
  reservations?: Reservations;
}

export interface PluginLoadResult {
  /** Every plugin found on disk, in dependency order (enabled or not). */
  discovered: DiscoveredPlugin[];
  /** The enabled plugins, imported, in dependency order. */
  loaded: LoadedPlugin[];
  /** All their contributions, conflict-checked. */
  registry: PluginRegistry;
}

/**
 * Start-up: discovers plugins (manifests only), checks compatibility, orders them by
 * dependency, imports the enabled ones, validates their definitions, registers their
 * contributions (refusing duplicates) and hooks. Lifecycle callbacks are left to `PluginRuntime`.
 * @throws PluginLoadError (or its subclass PluginConflictError) with every problem it found
 */
export async function loadPlugins(options: PluginLoaderOptions): Promise<PluginLoadResult> {
  const discovered = orderPlugins(await discoverPlugins(options.roots, options.coreVersion));
  const enabled = enabledInOrder(discovered, options.isEnabled ?? (() => true));
  const registry = new PluginRegistry(options.reservations ?? CORE_RESERVATIONS);
  const loaded: LoadedPlugin[] = [];
  const errors: PluginLoadError[] = [];
  for (const plugin of enabled) {
    try {
      const result = await importPlugin(plugin, options);
      registry.addAll(await collectContributions(result.definition, plugin, result.mainFile));
      loaded.push(result);
    } catch (error) {
      if (!(error instanceof PluginLoadError)) throw error;
      errors.push(error);
    }
  }
  throwAll(errors);
  for (const plugin of loaded) {
    for (const hook of plugin.definition.declaresHooks ?? []) options.hooks.declare(hook, plugin.name);
  }
  for (const plugin of loaded) {
    try {
      plugin.definition.hooks?.(bindPluginHooks(options.hooks, plugin.name));
    } catch (error) {
      options.hooks.unsubscribeAll(plugin.name);
      errors.push(
        error instanceof UnknownHookError
          ? new PluginLoadError([`${plugin.mainFile}: ${error.message}`], plugin.name)
          : new PluginLoadError([`${plugin.mainFile}: hooks() threw: ${describeError(error)}`], plugin.name),
      );
    }
  }
  throwAll(errors);
  return { discovered, loaded, registry };
}

/**
 * Imports one plugin's `main` module and validates its default export. Used at start-up and when
 * an admin installs or uninstalls a plugin that is not loaded.
 * @throws PluginLoadError naming the file
 */
export async function importPlugin(plugin: DiscoveredPlugin, options: PluginImportOptions = {}): Promise<LoadedPlugin> {
  const mainFile = (options.resolveMain ?? ((p) => join(p.dir, p.manifest.main)))(plugin);
  const exists = await stat(mainFile).then((s) => s.isFile(), () => false);
  if (!exists) {
    throw new PluginLoadError([`${plugin.manifestFile}: vitrine.main is "${plugin.manifest.main}", but ${mainFile} does not exist.`], plugin.name);
  }
  let module: unknown;
  try {
    module = await (options.importModule ?? ((url) => import(url)))(pathToFileURL(mainFile).href);
  } catch (error) {
    throw new PluginLoadError([`${mainFile}: could not be imported: ${describeError(error)}`], plugin.name);
  }
  const exported = (module as { default?: unknown }).default;
  if (exported === undefined) {
    throw new PluginLoadError([`${mainFile}: has no default export; end it with \`export default definePlugin({ ... })\`.`], plugin.name);
  }
  return { ...plugin, mainFile, definition: validatePluginDefinition(exported, plugin, mainFile) };
}

/**
 * For compiled deployments: `plugins/x/src/index.ts` is imported from `<outDir>/plugins/x/src/index.js`
 * (what `tsc -p tsconfig.build.json` emits). Plain `.js` mains are imported where they are.
 */
export function compiledMainResolver(rootDir: string, outDir: string): (plugin: DiscoveredPlugin) => string {
  return (plugin) => {
    const main = plugin.manifest.main;
    if (!/\.m?ts$/.test(main)) return join(plugin.dir, main);
    return join(outDir, relative(rootDir, plugin.dir), main.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs'));
  };
}

/** The hooks API a plugin sees: the registry, with every subscription tagged with its name. */
export function bindPluginHooks(hooks: HookRegistry, plugin: string): PluginHooks {
  return {
    on: (name, handler, options) => hooks.on(name, handler, { plugin, priority: options?.priority }),
    applyFilter: (name, value, ...args) => hooks.applyFilter(name, value, ...args),
    doAction: (name, ...args) => hooks.doAction(name, ...args),
    has: (name) => hooks.has(name),
  };
}

function throwAll(errors: readonly PluginLoadError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new PluginLoadError(errors.flatMap((e) => e.problems));
}
