import { fileURLToPath } from 'node:url';
import { Controller, Get, Post } from '@nestjs/common';
import { Entity, PrimaryGeneratedColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { HookRegistry } from '../hooks/hook.registry.js';
import { PluginSandbox } from '../../test/fixtures/plugins/plugin-sandbox.js';
import { PluginConflictError, PluginLoadError } from './plugin.errors.js';
import { loadPlugins } from './plugin.loader.js';

const scan = async function* () {};
const handler = () => ({});
let sandbox: PluginSandbox;
afterEach(() => sandbox?.dispose());

/** Loads the sandbox and returns the error it fails with. */
async function failure(): Promise<PluginLoadError> {
  const error = await sandbox.load().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PluginLoadError);
  return error as PluginLoadError;
}

/** Asserts a conflict of `kind` on `key` between `first` and `second`, both named in the message. */
async function expectConflict(kind: string, key: string, first: string, second: string): Promise<string> {
  const error = await failure();
  expect(error).toBeInstanceOf(PluginConflictError);
  expect(error).toMatchObject({ kind, key, owners: [first, second] });
  for (const owner of [first, second]) expect(error.message).toContain(owner === 'core' ? 'core' : `plugin "${owner}"`);
  return error.message;
}

describe('loadPlugins with the fixture plugins on disk', () => {
  it('loads in dependency order, registers contributions and wires hooks across plugins', async () => {
    const hooks = new HookRegistry();
    const root = fileURLToPath(new URL('../../test/fixtures/plugins/valid', import.meta.url));
    const { loaded, registry } = await loadPlugins({ roots: [root], coreVersion: '0.1.0', hooks });
    expect(loaded.map((p) => p.name)).toEqual(['hello', 'hello-fan']);
    expect(registry.get('imageSize', 'hello-card')?.owner).toBe('hello');
    expect(registry.get('metadataField', 'mood')?.value.type).toBe('enum');
    expect(registry.get('template', 'hello/greeting')?.value.file).toMatch(/views\/templates\/greeting\.hbs$/);
    expect(registry.get('helper', 'hello:shout')?.value('hi')).toBe('HI');
    expect(hooks.subscriptions('hello.greeted').map((s) => s.plugin)).toEqual(['hello-fan']);

    const metadata = await hooks.applyFilter('photo.metadata', { plugins: {} } as never, {} as never, {} as never);
    expect(metadata.plugins).toEqual({ hello: { mood: 'happy' } });

    const route = registry.get('route', '/hello/:name')!.value;
    const ctx = { options: { greeting: 'Hi' }, hooks: { doAction: (n: never, ...a: never[]) => hooks.doAction(n, ...a) } };
    expect(await route.handler({ params: { name: 'Ada' } } as never, ctx as never)).toEqual({ name: 'Hi Ada' });
    const fan = (await import('../../test/fixtures/plugins/valid/hello-fan/src/index.js')) as { greeted: string[] };
    expect(fan.greeted).toEqual(['Ada']);
  });

  it('loads only enabled plugins', async () => {
    const root = fileURLToPath(new URL('../../test/fixtures/plugins/valid', import.meta.url));
    const result = await loadPlugins({ roots: [root], coreVersion: '0.1.0', hooks: new HookRegistry(), isEnabled: (n) => n === 'hello' });
    expect(result.discovered.map((p) => p.name)).toEqual(['hello', 'hello-fan']);
    expect(result.loaded.map((p) => p.name)).toEqual(['hello']);
  });
});

describe('loadPlugins refuses to start on conflicts, naming both parties', () => {
  it('duplicate plugin names (two plugin folders)', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('gallery-map', {});
    const other = sandbox.otherRoot();
    sandbox.add('gallery-map', {}, {}, other);
    const error = (await sandbox.load({ roots: [sandbox.root, other] }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(PluginLoadError);
    expect(error.message).toMatch(/Plugin name "gallery-map" is used twice: by .*gallery-map\/package.json and by .*_other-.*gallery-map\/package.json/);
  });

  it('duplicate importer ids', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', importers: [{ id: 'flickr', label: 'Flickr', scan }] });
    sandbox.add('beta', { name: 'beta', importers: [{ id: 'flickr', label: 'Flickr too', scan }] });
    expect(await expectConflict('importer', 'flickr', 'alpha', 'beta')).toMatch(/importer id "flickr" is declared by plugin "beta" \(.*beta\), but it already belongs to plugin "alpha" \(.*alpha\)/);
  });

  it('duplicate metadata field keys (case-insensitive), and core keys', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', metadataFields: [{ key: 'filmStock', type: 'string', label: 'Film' }] });
    sandbox.add('beta', { name: 'beta', metadataFields: [{ key: 'filmstock', type: 'string', label: 'Film' }] });
    expect(await expectConflict('metadataField', 'filmstock', 'alpha', 'beta')).toContain('"filmStock" already belongs to plugin "alpha"');
    sandbox.dispose();
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', metadataFields: [{ key: 'author', type: 'string', label: 'Author' }] });
    expect(await expectConflict('metadataField', 'author', 'core', 'alpha')).toContain('core names are reserved');
  });

  it('duplicate site route paths (parameter names do not matter), and core routes', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', routes: [{ path: '/films/:slug', template: 'film', handler }] });
    sandbox.add('beta', { name: 'beta', routes: [{ path: '/films/:id/', template: 'film', handler }] });
    await expectConflict('route', '/films/:id/', 'alpha', 'beta');
    sandbox.dispose();
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', routes: [{ path: '/admin/films', template: 'film', handler }] });
    expect(await expectConflict('route', '/admin/films', 'core', 'alpha')).toContain('"/admin/*" already belongs to core');
  });

  it('duplicate ws.php method names, and the core pwg.* namespace', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', wsMethods: [{ name: 'films.getList', params: {}, handler }] });
    sandbox.add('beta', { name: 'beta', wsMethods: [{ name: 'films.getList', params: { page: { type: 'int', default: 0 } }, handler }] });
    await expectConflict('wsMethod', 'films.getList', 'alpha', 'beta');
    sandbox.dispose();
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', wsMethods: [{ name: 'pwg.images.add', params: {}, handler }] });
    await expectConflict('wsMethod', 'pwg.images.add', 'core', 'alpha');
  });

  it('duplicate REST routes', async () => {
    @Controller('rolls')
    class RollsController {
      @Get(':id') one() {}
    }
    @Controller('/rolls/')
    class LegacyRollsController {
      @Get(':rollId') legacy() {}
      @Post() create() {}
    }
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', controllers: [RollsController, LegacyRollsController] });
    expect(await expectConflict('apiRoute', 'GET /api/v1/plugins/alpha/rolls/:rollId', 'alpha', 'alpha')).toContain(
      'plugin "alpha"',
    );
  });

  it('duplicate image size names, and core sizes', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', imageSizes: [{ name: 'poster', width: 2000, height: 1000 }] });
    sandbox.add('beta', { name: 'beta', imageSizes: [{ name: 'poster', width: 1000, height: 500 }] });
    await expectConflict('imageSize', 'poster', 'alpha', 'beta');
    sandbox.dispose();
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', imageSizes: [{ name: 'thumb', width: 100, height: 100 }] });
    await expectConflict('imageSize', 'thumb', 'core', 'alpha');
  });

  it('duplicate permissions and jobs', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', permissions: [{ action: 'approve', subject: 'Selection', description: 'a' }] });
    sandbox.add('beta', { name: 'beta', permissions: [{ action: 'approve', subject: 'Selection', description: 'b' }] });
    await expectConflict('permission', 'approve Selection', 'alpha', 'beta');
    sandbox.dispose();
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', jobs: [{ name: 'sync', handler }, { name: 'sync', handler }] });
    expect(await expectConflict('job', 'alpha.sync', 'alpha', 'alpha')).toContain('declares job "alpha.sync" twice');
  });

  it('a hook name that does not exist', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', hooks: (h: { on: (...a: unknown[]) => void }) => h.on('photo.uploaded', () => {}) });
    const error = await failure();
    expect(error.plugin).toBe('alpha');
    expect(error.message).toMatch(/alpha\/index\.js: Plugin "alpha" uses unknown hook "photo.uploaded"\. Did you mean "photo.updated"\?/);
    expect(sandbox.hooks.subscriptions()).toEqual([]);
  });

  it('a hook of a plugin that is not enabled', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', declaresHooks: [{ name: 'alpha.synced', kind: 'action', phase: 'afterCommit', payload: 'args: []', summary: 's', since: '1.0.0' }] });
    sandbox.add('beta', { name: 'beta', hooks: (h: { on: (...a: unknown[]) => void }) => h.on('alpha.synced', () => {}) });
    await expect(sandbox.load()).resolves.toBeDefined();
    const hooks = new HookRegistry();
    await expect(sandbox.load({ hooks, isEnabled: (n) => n === 'beta' })).rejects.toThrow('Plugin "beta" uses unknown hook "alpha.synced"');
  });
});

describe('loadPlugins validates what plugins export', () => {
  it('refuses unknown fields (typos) and bad values, naming the file', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', imagesizes: [], metadataFields: [{ key: 'Film Stock', type: 'enum', label: 'F' }] });
    const error = await failure();
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/alpha\/index\.js: \(root\): Unrecognized key: "imagesizes"/),
        expect.stringMatching(/metadataFields\.0\.key: must be camelCase/),
        expect.stringMatching(/metadataFields\.0: an enum field needs "values"/),
      ]),
    );
  });

  it('requires the definition to agree with package.json', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alfa', version: '2.0.0' }, { version: '1.0.0' });
    const error = await failure();
    expect(error.message).toContain('name is "alfa" but');
    expect(error.message).toMatch(/version is "2.0.0" but .*alpha\/package.json says "1.0.0"/);
  });

  it('explains a missing default export and a missing main file', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', undefined);
    expect((await failure()).message).toContain('has no default export; end it with `export default definePlugin({ ... })`');
    sandbox.dispose();
    sandbox = new PluginSandbox();
    sandbox.add('alpha', {}, { raw: JSON.stringify({ name: 'alpha', version: '1.0.0', vitrine: { compatibility: '*', main: 'dist/main.js' } }) });
    expect((await failure()).message).toMatch(/vitrine.main is "dist\/main.js", but .*dist\/main.js does not exist/);
  });

  it('refuses incompatible plugins, naming versions', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha' }, { compatibility: '^2' });
    expect((await failure()).message).toMatch(/plugin "alpha" 1.0.0 requires Vitrine \^2, but this is Vitrine 0.1.0/);
  });

  it('requires tables named plugin_<name>_* for entities and migrations', async () => {
    @Entity('rolls') class Roll { @PrimaryGeneratedColumn() id!: number; }
    @Entity('plugin_film_roll_frames') class Frame { @PrimaryGeneratedColumn() id!: number; }
    class CreateRolls1 implements MigrationInterface {
      async up(q: QueryRunner) { await q.query('CREATE TABLE plugin_film_roll_frames (id serial primary key); ALTER TABLE photos ADD COLUMN roll int'); }
      async down(q: QueryRunner) { await q.query('DROP TABLE plugin_film_roll_frames'); }
    }
    sandbox = new PluginSandbox();
    sandbox.add('film-roll', { name: 'film-roll', entities: [Roll, Frame], migrations: [CreateRolls1] });
    const error = await failure();
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain('entities: Roll maps to table "rolls"; name it "plugin_film_roll_<something>"');
    expect(error.message).toContain('migrations: CreateRolls1 touches "photos"');
  });

  it('keeps view folders inside the plugin folder', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', views: { partials: '../../etc' } });
    expect((await failure()).message).toContain('views.partials: must be a relative path inside the plugin folder');
  });

  it('checks template references against the plugin views', async () => {
    sandbox = new PluginSandbox();
    sandbox.add('alpha', { name: 'alpha', views: { templates: 'views' }, routes: [{ path: '/a', template: 'alpha/missing', handler }] });
    sandbox.file('alpha', 'views/page.hbs', '<p>x</p>');
    expect((await failure()).message).toContain('template "alpha/missing" is not among this plugin\'s templates (alpha/page)');
  });
});
