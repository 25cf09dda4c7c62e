import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { VitrineError } from '../common/errors.js';
import { HookRegistry } from '../hooks/hook.registry.js';
import type { DiscoveredPlugin } from './plugin.discovery.js';
import { PluginLifecycleError } from './plugin.errors.js';
import type { LoadedPlugin } from './plugin.loader.js';
import type { AnyPluginDefinition } from './plugin.types.js';
import type { PluginContext } from './plugin-context.js';
import { PluginLifecycleService, type PluginDataManager } from './plugin-lifecycle.service.js';
import { InMemoryPluginStateStore, type PluginStateRow } from './plugin-state.store.js';

function plugin(name: string, definition: Partial<AnyPluginDefinition> = {}, dependsOn: Record<string, string> = {}, version = '1.0.0'): LoadedPlugin {
  return {
    name,
    dir: `/plugins/${name}`,
    manifestFile: `/plugins/${name}/package.json`,
    mainFile: `/plugins/${name}/index.js`,
    manifest: { name, version, compatibility: '*', main: 'index.js', dependsOn },
    definition: { name, ...definition },
  };
}

function setup(plugins: LoadedPlugin[], rows: PluginStateRow[] = []) {
  const store = new InMemoryPluginStateStore(rows);
  const journal: string[] = [];
  const data: PluginDataManager = {
    migrate: vi.fn(async (p: LoadedPlugin) => void journal.push(`migrate ${p.name}`)),
    dropData: vi.fn(async (p: LoadedPlugin) => void journal.push(`drop ${p.name}`)),
  };
  const hooks = new HookRegistry();
  const byName = new Map(plugins.map((p) => [p.name, p]));
  const service = new PluginLifecycleService({
    store,
    data,
    hooks,
    source: { discovered: (): DiscoveredPlugin[] => plugins, load: async (n) => byName.get(n)! },
    contextFor: (p, options) => ({ plugin: { name: p.name }, options }) as unknown as PluginContext,
    now: () => new Date('2025-01-01T00:00:00Z'),
  });
  return { service, store, data, journal, hooks };
}

const row = (name: string, enabled: boolean, extra: Partial<PluginStateRow> = {}): PluginStateRow => ({
  name, version: '1.0.0', enabled, settings: {}, installedAt: new Date(0), updatedAt: new Date(0), ...extra,
});

describe('PluginLifecycleService', () => {
  it('installs on first enable: migrations, then install(ctx) with default settings, then the row', async () => {
    const install = vi.fn();
    const { service, store, journal } = setup([plugin('films', { install, options: z.object({ stock: z.string().default('HP5') }) })]);
    expect(await service.status('films')).toBe('not-installed');
    await expect(service.enable('films')).resolves.toEqual({ restartRequired: true });
    expect(journal).toEqual(['migrate films']);
    expect(install).toHaveBeenCalledWith(expect.objectContaining({ options: { stock: 'HP5' } }));
    expect(await store.get('films')).toMatchObject({ version: '1.0.0', enabled: true, settings: { stock: 'HP5' } });
    await service.enable('films');
    expect(install).toHaveBeenCalledOnce();
  });

  it('leaves no row when install() fails, so it can be retried', async () => {
    const { service, store } = setup([plugin('films', { install: () => { throw new Error('seed failed'); } })]);
    const error = await service.enable('films').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLifecycleError);
    expect((error as Error).message).toBe('Plugin "films" failed in install(): seed failed');
    expect(await store.get('films')).toBeUndefined();
  });

  it('refuses settings the options schema rejects', async () => {
    const { service } = setup([plugin('films', { options: z.object({ apiKey: z.string().min(8) }) })]);
    const error = await service.enable('films', { apiKey: 'short' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VitrineError);
    expect(error).toMatchObject({ kind: 'invalid', code: 'plugin.invalid_settings', fields: [{ path: 'apiKey' }] });
  });

  it('disables without touching data, and removes the plugin hooks at once', async () => {
    const { service, store, data, hooks } = setup([plugin('films')], [row('films', true, { settings: { a: 1 } })]);
    hooks.on('photo.imported', () => {}, { plugin: 'films' });
    await expect(service.disable('films')).resolves.toEqual({ restartRequired: true });
    expect(await service.status('films')).toBe('disabled');
    expect((await store.get('films'))?.settings).toEqual({ a: 1 });
    expect(data.dropData).not.toHaveBeenCalled();
    expect(hooks.subscriptions()).toEqual([]);
  });

  it('enables only when dependencies are enabled, disables only when no enabled plugin depends on it', async () => {
    const { service } = setup([plugin('geo'), plugin('map', {}, { geo: '^1' })], [row('geo', false)]);
    await expect(service.enable('map')).rejects.toThrow('Plugin "map" depends on plugin "geo", which is not enabled. Enable "geo" first.');
    await service.enable('geo');
    await service.enable('map');
    const error = (await service.disable('geo').catch((e: unknown) => e)) as VitrineError;
    expect(error).toMatchObject({ kind: 'conflict', code: 'plugin.has_dependents' });
    expect(error.message).toContain('Plugin "geo" cannot be disabled: "map" depends on it');
    await service.disable('map');
    await service.disable('geo');
  });

  it('uninstalls without dropData: disables, calls uninstall, keeps tables and metadata', async () => {
    const uninstall = vi.fn();
    const { service, store, data } = setup([plugin('films', { uninstall })], [row('films', true)]);
    await service.uninstall('films', { dropData: false });
    expect(uninstall).toHaveBeenCalledWith(expect.anything(), { dropData: false });
    expect(data.dropData).not.toHaveBeenCalled();
    expect(await store.get('films')).toBeUndefined();
    expect(await service.status('films')).toBe('not-installed');
  });

  it('uninstalls with dropData: uninstall(ctx) first, then the data goes', async () => {
    const { service, journal } = setup([plugin('films', { uninstall: () => void journal.push('uninstall()') })], [row('films', false)]);
    await service.uninstall('films', { dropData: true });
    expect(journal).toEqual(['uninstall()', 'drop films']);
  });

  it('refuses unknown plugins and uninstalling what is not installed', async () => {
    const { service } = setup([plugin('films')]);
    await expect(service.enable('ghost')).rejects.toMatchObject({ kind: 'not_found', code: 'plugin.not_found' });
    await expect(service.uninstall('films', { dropData: true })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('upgrades enabled plugins whose version changed: migrations, upgrade(ctx, { fromVersion }), new version', async () => {
    const upgrade = vi.fn();
    const { service, store, journal } = setup([plugin('films', { upgrade }, {}, '1.1.0'), plugin('same')], [row('films', true), row('same', true)]);
    expect(await service.reconcile()).toEqual(['films']);
    expect(journal).toEqual(['migrate films']);
    expect(upgrade).toHaveBeenCalledWith(expect.anything(), { fromVersion: '1.0.0' });
    expect((await store.get('films'))?.version).toBe('1.1.0');
  });

  it('updates settings through the options schema', async () => {
    const { service, store } = setup([plugin('films', { options: z.object({ stock: z.string().default('HP5') }) })], [row('films', true)]);
    expect(await service.updateSettings('films', { stock: 'Tri-X' })).toEqual({ stock: 'Tri-X' });
    expect((await store.get('films'))?.settings).toEqual({ stock: 'Tri-X' });
  });
});
