import { describe, expect, it, vi } from 'vitest';
import { PluginConflictError, PluginLifecycleError } from './plugin.errors.js';
import type { LoadedPlugin } from './plugin.loader.js';
import { PluginRegistry } from './plugin.registry.js';
import type { AnyPluginDefinition } from './plugin.types.js';
import type { PluginContext } from './plugin-context.js';
import { PluginRuntime } from './plugin.runtime.js';

const loaded = (name: string, definition: Partial<AnyPluginDefinition>): LoadedPlugin =>
  ({ name, definition: { name, ...definition } }) as LoadedPlugin;
const context = (p: LoadedPlugin) => ({ plugin: { name: p.name } }) as unknown as PluginContext;
const logger = () => ({ error: vi.fn(), warn: vi.fn() });

describe('PluginRuntime', () => {
  it('register(): contributions from ctx.contribute are validated and conflict-checked', async () => {
    const registry = new PluginRegistry({ imageSize: ['thumb'] });
    const ok = loaded('alpha', { register: (ctx) => ctx.contribute({ imageSizes: [{ name: 'wide', width: 2000, height: 800 }] }) });
    await new PluginRuntime([ok], registry, context, logger()).register();
    expect(registry.get('imageSize', 'wide')?.owner).toBe('alpha');

    const clash = loaded('beta', { register: (ctx) => ctx.contribute({ imageSizes: [{ name: 'thumb', width: 1, height: 1 }] }) });
    await expect(new PluginRuntime([clash], registry, context, logger()).register()).rejects.toBeInstanceOf(PluginConflictError);
    const invalid = loaded('gamma', { register: (ctx) => ctx.contribute({ imageSizes: [{ name: 'x', width: -1, height: 1 }] }) });
    await expect(new PluginRuntime([invalid], registry, context, logger()).register()).rejects.toThrow(/imageSizes\.0\.width/);
  });

  it('bootstrap() runs in order and names the plugin that fails', async () => {
    const calls: string[] = [];
    const plugins = [
      loaded('a', { bootstrap: () => void calls.push('a') }),
      loaded('b', { bootstrap: () => { throw new Error('no network'); } }),
      loaded('c', { bootstrap: () => void calls.push('c') }),
    ];
    const run = new PluginRuntime(plugins, new PluginRegistry(), context, logger()).bootstrap();
    await expect(run).rejects.toBeInstanceOf(PluginLifecycleError);
    await expect(run).rejects.toThrow('Plugin "b" failed in bootstrap(): no network');
    expect(calls).toEqual(['a']);
  });

  it('destroy() runs in reverse order, logs failures and goes on', async () => {
    const calls: string[] = [];
    const log = logger();
    const plugins = [
      loaded('a', { destroy: () => void calls.push('a') }),
      loaded('b', { destroy: () => { throw new Error('stuck'); } }),
      loaded('c', { destroy: () => void calls.push('c') }),
    ];
    await new PluginRuntime(plugins, new PluginRegistry(), context, log).destroy();
    expect(calls).toEqual(['c', 'a']);
    expect(log.error).toHaveBeenCalledWith(expect.objectContaining({ plugin: 'b' }), 'Plugin "b" failed in destroy(): stuck');
  });
});
