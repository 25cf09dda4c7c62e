import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { HookRejection } from '../hooks/hook.errors.js';
import type { HookContext, ImportCandidate, PhotoView, RenderContext } from '../hooks/hook-payloads.js';
import { HookRegistry } from '../hooks/hook.registry.js';
import type { ImportItem } from './plugin-contributions.js';
import { loadPlugins } from './plugin.loader.js';

/**
 * docs/plugins.md walks through the `film-roll` plugin in test/fixtures/plugins/guide. This spec
 * keeps the page honest: the code shown is the fixture's code, and the fixture works.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const guideRoot = join(root, 'test/fixtures/plugins/guide');
const doc = readFileSync(join(root, 'docs/plugins.md'), 'utf8');
const FILES = ['package.json', 'src/index.ts', 'views/partials/badge.hbs'];
const ctx: HookContext = { actor: { userId: 1, username: 'ada', role: 'admin', via: 'session' } };
const render: RenderContext = { ...ctx, page: 'photo', url: '/photo/1', theme: 'default' };

/** The code block that follows `<!-- file: plugins/film-roll/<path> -->` in the guide. */
function shown(path: string): string {
  const marker = `<!-- file: plugins/film-roll/${path} -->\n`;
  const start = doc.indexOf(marker);
  expect(start, `docs/plugins.md shows ${path}`).toBeGreaterThan(-1);
  const body = doc.slice(doc.indexOf('\n', start + marker.length) + 1);
  return body.slice(0, body.indexOf('```\n'));
}

/** The fixture file, with the import path a plugin in plugins/<name>/src/ would use. */
function fixture(path: string): string {
  return readFileSync(join(guideRoot, 'film-roll', path), 'utf8').replaceAll("'../../../../../../src/", "'../../../src/");
}

describe('docs/plugins.md', () => {
  it.each(FILES)('shows %s exactly as the working fixture', (path) => {
    expect(shown(path)).toBe(fixture(path));
  });

  it('keeps the whole example (manifest, code, view) under 80 lines, as it says', () => {
    const lines = FILES.map((f) => fixture(f).trimEnd().split('\n').length).reduce((a, b) => a + b, 0);
    expect(lines).toBeLessThan(80);
    expect(doc).toContain(`The finished plugin is ${lines} lines.`);
  });
});

describe('the guide plugin', () => {
  async function load() {
    const hooks = new HookRegistry();
    const { loaded, registry } = await loadPlugins({ roots: [guideRoot], coreVersion: '0.1.0', hooks });
    return { hooks, registry, plugin: loaded[0]! };
  }

  it('contributes its importer, metadata field, partial and helper', async () => {
    const { registry, plugin } = await load();
    expect(plugin.name).toBe('film-roll');
    expect(registry.get('metadataField', 'filmStock')?.value).toMatchObject({ public: true, searchable: true });
    expect(registry.get('importer', 'film-roll-folder')?.owner).toBe('film-roll');
    expect(registry.get('partial', 'film-roll/badge')).toBeDefined();
    expect(registry.get('helper', 'film-roll:stock')).toBeDefined();
  });

  it('scans roll folders into import items', async () => {
    const { registry } = await load();
    const importer = registry.get('importer', 'film-roll-folder')!.value;
    const run = { ctx: { options: { defaultStock: 'unknown' } }, actor: ctx.actor, signal: new AbortController().signal } as never;
    const items: ImportItem[] = [];
    for await (const item of importer.scan({ folder: join(guideRoot, '_rolls') }, run)) items.push(item);
    expect(items.map((i) => [i.externalId, i.metadata?.filmStock, i.album])).toEqual([
      ['2024-05 HP5/frame-01.jpg', 'HP5', { path: ['Film', '2024-05 HP5'] }],
      ['2024-05 HP5/frame-02.jpg', 'HP5', { path: ['Film', '2024-05 HP5'] }],
      ['2024-06 Portra400/frame-01.tif', 'Portra400', { path: ['Film', '2024-06 Portra400'] }],
    ]);
  });

  it('rejects non-scans through photo.beforeImport', async () => {
    const { hooks } = await load();
    const candidate = (originalName: string, source = 'film-roll-folder') =>
      ({ file: { originalName }, source, albumId: null, title: null, privacyLevel: 0 }) as unknown as ImportCandidate;
    await expect(hooks.applyFilter('photo.beforeImport', candidate('a.jpg'), ctx)).resolves.toBeDefined();
    await expect(hooks.applyFilter('photo.beforeImport', candidate('notes.txt', 'upload'), ctx)).resolves.toBeDefined();
    const error = await hooks.applyFilter('photo.beforeImport', candidate('notes.txt'), ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HookRejection);
    expect(error).toMatchObject({ reason: 'notes.txt is not a scan (JPEG or TIFF).', plugin: 'film-roll' });
  });

  it('puts the stock in the photo view model, and the partial renders it with the helper', async () => {
    const { hooks, registry } = await load();
    const view = { metadata: { filmStock: 'HP5' }, extensions: {} } as unknown as PhotoView;
    const model = await hooks.applyFilter('photo.viewModel', view, render);
    expect(model.extensions).toEqual({ 'film-roll': { stock: 'HP5' } });
    const hbs = Handlebars.create();
    hbs.registerHelper('film-roll:stock', registry.get('helper', 'film-roll:stock')!.value);
    const partial = readFileSync(registry.get('partial', 'film-roll/badge')!.value.file, 'utf8');
    expect(hbs.compile(partial)(model).trim()).toBe('<p class="film-stock">🎞 HP5</p>');
  });
});
