import type { HookLogger } from '../hooks/hook.registry.js';
import { PluginLifecycleError, PluginLoadError } from './plugin.errors.js';
import type { LoadedPlugin } from './plugin.loader.js';
import type { PluginRegistry } from './plugin.registry.js';
import { dynamicContributions } from './plugin-contribution.collector.js';
import type { PluginContext } from './plugin-context.js';
import { validateDynamicContributions } from './plugin-definition.validator.js';

/**
 * Runs the per-process callbacks of the loaded (enabled) plugins: `register` before the
 * application starts, `bootstrap` once it runs (both in dependency order; a failure stops the
 * start-up), `destroy` at shutdown (reverse order; failures are logged, the others still run).
 */
export class PluginRuntime {
  constructor(
    private readonly plugins: readonly LoadedPlugin[],
    private readonly registry: PluginRegistry,
    /** Builds each plugin's context (options parsed from its stored settings, bound services). */
    private readonly contextFor: (plugin: LoadedPlugin) => PluginContext,
    private readonly logger: HookLogger,
  ) {}

  /** Calls `register(ctx)`; contributions added through `ctx.contribute` are conflict-checked. */
  async register(): Promise<void> {
    for (const plugin of this.plugins) {
      const { register } = plugin.definition;
      if (!register) continue;
      const ctx = this.contextFor(plugin);
      const contribute = (contributions: object) => {
        validateDynamicContributions(contributions, plugin.name);
        this.registry.addAll(dynamicContributions(contributions, plugin.name));
      };
      try {
        await register({ ...ctx, contribute });
      } catch (error) {
        throw error instanceof PluginLoadError ? error : new PluginLifecycleError(plugin.name, 'register', error);
      }
    }
  }

  /** Calls `bootstrap(ctx)` in order. */
  async bootstrap(): Promise<void> {
    for (const plugin of this.plugins) {
      try {
        await plugin.definition.bootstrap?.(this.contextFor(plugin));
      } catch (error) {
        throw new PluginLifecycleError(plugin.name, 'bootstrap', error);
      }
    }
  }

  /** Calls `destroy()` in reverse order; never throws. */
  async destroy(): Promise<void> {
    for (const plugin of [...this.plugins].reverse()) {
      try {
        await plugin.definition.destroy?.();
      } catch (error) {
        const failure = new PluginLifecycleError(plugin.name, 'destroy', error);
        this.logger.error({ err: error, plugin: plugin.name }, failure.message);
      }
    }
  }
}
