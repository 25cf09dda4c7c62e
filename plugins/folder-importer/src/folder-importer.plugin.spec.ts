import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HookRegistry } from '../../../src/hooks/hook.registry.js';
import type { ImportItem, PluginContext } from '../../../src/plugins/index.js';
import { loadPlugins } from '../../../src/plugins/plugin.loader.js';
import plugin, { folderImporterOptions, rescanFolder, resetSeen, WATCH_ACTOR, type FolderImporterOptions } from './index.js';
import { FolderWatcher, type WatchFn } from './folder.watcher.js';

const pluginsRoot = fileURLToPath(new URL('../../', import.meta.url));
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'folder-importer-'));
  resetSeen();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function context(options: Partial<FolderImporterOptions>, importFn: (item: ImportItem) => Promise<unknown>) {
  const logs: string[] = [];
  const log = (m: string) => void logs.push(m);
  const ctx = {
    options: folderImporterOptions.parse(options),
    log: { debug: log, info: log, warn: log, error: log },
    services: { photos: { import: vi.fn(importFn) } },
  } as unknown as PluginContext<FolderImporterOptions>;
  return { ctx, logs, imports: (ctx.services.photos.import as ReturnType<typeof vi.fn>).mock.calls };
}

describe('folder-importer plugin', () => {
  it('loads from plugins/ and contributes the folder-tree importer and the rescan job', async () => {
    const { registry } = await loadPlugins({ roots: [pluginsRoot], coreVersion: '0.1.0', hooks: new HookRegistry(), isEnabled: (n) => n === 'folder-importer' });
    expect(registry.get('importer', 'folder-tree')?.owner).toBe('folder-importer');
    expect(registry.get('job', 'folder-importer.rescan')?.owner).toBe('folder-importer');
  });

  it('scan() yields import items through the importer contract and validates its options', async () => {
    mkdirSync(join(root, 'Trip'));
    writeFileSync(join(root, 'Trip', 'a.jpg'), 'x');
    const importer = plugin.importers![0]!;
    expect(importer.options!.safeParse({ folder: root, extra: 1 }).success).toBe(false);
    const { ctx } = context({}, async () => ({}));
    const items: ImportItem[] = [];
    for await (const item of importer.scan({ folder: root, intoAlbum: ['In'] }, { ctx, actor: WATCH_ACTOR, signal: new AbortController().signal })) items.push(item);
    expect(items).toEqual([{ source: { kind: 'file', path: join(root, 'Trip', 'a.jpg') }, originalName: 'a.jpg', album: { path: ['In', 'Trip'] }, externalId: 'Trip/a.jpg' }]);
  });

  it('settings have defaults and refuse bad values', () => {
    expect(folderImporterOptions.parse({})).toMatchObject({ watch: [], debounceMs: 2000, rescanMinutes: 0 });
    expect(folderImporterOptions.safeParse({ debounceMs: 5 }).success).toBe(false);
    expect(folderImporterOptions.safeParse({ watch: [{ folder: '' }] }).success).toBe(false);
  });

  it('a rescan imports new and changed files only, and does not retry a refused file until it changes', async () => {
    writeFileSync(join(root, 'a.jpg'), 'a');
    writeFileSync(join(root, 'bad.jpg'), 'not an image');
    const { ctx, imports, logs } = context({ watch: [{ folder: root }] }, async (item) => {
      if (item.originalName === 'bad.jpg') throw new Error('This file is not an image.');
      return { id: 1 };
    });
    expect(await rescanFolder(ctx, root)).toEqual({ imported: 1, failed: 1 });
    expect(imports.map(([item, actor]) => [(item as ImportItem).externalId, actor])).toEqual([['a.jpg', WATCH_ACTOR], ['bad.jpg', WATCH_ACTOR]]);
    expect(logs.some((l) => l.includes('could not import bad.jpg: This file is not an image.'))).toBe(true);

    writeFileSync(join(root, 'b.jpg'), 'b');
    expect(await rescanFolder(ctx, root)).toEqual({ imported: 1, failed: 0 });
    expect(imports.map(([item]) => (item as ImportItem).externalId)).toEqual(['a.jpg', 'bad.jpg', 'b.jpg']);
  });

  it('refuses to rescan a folder that is not watched', async () => {
    const { ctx } = context({ watch: [] }, async () => ({}));
    await expect(rescanFolder(ctx, root)).rejects.toThrow(/not a watched folder/);
  });
});

describe('FolderWatcher', () => {
  function fakeWatch() {
    const listeners = new Map<string, () => void>();
    const closed: string[] = [];
    const watch: WatchFn = (folder, options, listener) => {
      expect(options.recursive).toBe(true);
      listeners.set(folder, listener);
      return { close: () => void closed.push(folder), on: () => ({}) as never };
    };
    return { watch, fire: (f: string) => listeners.get(f)!(), closed };
  }

  it('debounces bursts of changes into one rescan per folder', async () => {
    vi.useFakeTimers();
    try {
      const fake = fakeWatch();
      const rescans: string[] = [];
      const watcher = new FolderWatcher({ debounceMs: 1000, rescanMinutes: 0, rescan: async (f) => void rescans.push(f), onError: () => undefined, watch: fake.watch });
      watcher.start(['/a', '/b']);
      for (let i = 0; i < 50; i++) fake.fire('/a');
      await vi.advanceTimersByTimeAsync(900);
      fake.fire('/a');
      await vi.advanceTimersByTimeAsync(900);
      expect(rescans).toEqual([]);
      fake.fire('/b');
      await vi.advanceTimersByTimeAsync(1000);
      expect(rescans).toEqual(['/a', '/b']);
      await watcher.stop();
      expect(fake.closed).toEqual(['/a', '/b']);
      fake.fire('/a');
      await vi.advanceTimersByTimeAsync(5000);
      expect(rescans).toEqual(['/a', '/b']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never overlaps rescans of one folder: a change during a rescan runs one more afterwards', async () => {
    let release!: () => void;
    let calls = 0;
    const watcher = new FolderWatcher({
      debounceMs: 1000,
      rescanMinutes: 0,
      rescan: () => {
        calls++;
        return calls === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
      onError: () => undefined,
      watch: fakeWatch().watch,
    });
    watcher.start(['/a']);
    const first = watcher.run('/a');
    void watcher.run('/a');
    void watcher.run('/a');
    expect(calls).toBe(1);
    release();
    await first;
    expect(calls).toBe(2);
    await watcher.stop();
  });

  it('rescans periodically when asked, and reports errors without stopping', async () => {
    vi.useFakeTimers();
    try {
      const errors: unknown[] = [];
      let calls = 0;
      const watcher = new FolderWatcher({
        debounceMs: 1000,
        rescanMinutes: 1,
        rescan: async () => {
          calls++;
          throw new Error('disk gone');
        },
        onError: (_f, e) => void errors.push(e),
        watch: fakeWatch().watch,
      });
      watcher.start(['/a']);
      await vi.advanceTimersByTimeAsync(120_000);
      expect(calls).toBe(2);
      expect(errors).toHaveLength(2);
      await watcher.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('really watches a folder with fs.watch (recursive)', async () => {
    const rescans: string[] = [];
    const watcher = new FolderWatcher({ debounceMs: 100, rescanMinutes: 0, rescan: async (f) => void rescans.push(f), onError: () => undefined });
    mkdirSync(join(root, 'sub'));
    watcher.start([root]);
    writeFileSync(join(root, 'sub', 'new.jpg'), 'x');
    await vi.waitFor(() => expect(rescans).toEqual([root]), { timeout: 5000 });
    await watcher.stop();
  });
});
