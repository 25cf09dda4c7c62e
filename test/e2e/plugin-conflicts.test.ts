import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/common/logger.js';
import { PluginHost } from '../../src/plugin-host/plugin-host.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { spawnVitrine } from '../support/spawn-vitrine.js';

/** Writes `<root>/<name>/package.json` and an ESM `index.js` exporting `source` as the definition. */
function plugin(root: string, name: string, source: string): void {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', vitrine: { compatibility: '^0.1', main: 'index.js' } }));
  writeFileSync(join(dir, 'index.js'), `export default { name: ${JSON.stringify(name)}, ${source} };\n`);
}

function pair(a: string, b: string): string {
  const root = mkdtempSync(join(tmpdir(), 'vitrine-conflict-'));
  plugin(root, 'alpha', a);
  plugin(root, 'beta', b);
  return root;
}

describe('start-up refuses conflicting plugins with one message naming both parties', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.dataSource.query(`DELETE FROM plugins`);
  });

  const start = (dirs: string[], enable = 'alpha,beta') =>
    PluginHost.start({ config: loadConfig({ PLUGINS_DIR: dirs.join(':'), PLUGINS_ENABLE: enable, DATA_DIR: tmpdir() }), dataSource: db.dataSource, logger: createLogger('silent') });

  /** The start fails; its message is one line and names both plugins (or core). */
  async function refused(dirs: string[], pattern: RegExp, enable?: string): Promise<string> {
    const error = await start(dirs, enable).then(() => undefined, (e: Error) => e);
    expect(error, 'start-up should fail').toBeInstanceOf(Error);
    expect(error!.message.split('\n')).toHaveLength(1);
    expect(error!.message).toMatch(pattern);
    return error!.message;
  }

  it('duplicate plugin names (two folders)', async () => {
    const one = mkdtempSync(join(tmpdir(), 'vitrine-twin-'));
    const two = mkdtempSync(join(tmpdir(), 'vitrine-twin-'));
    plugin(one, 'twin', '');
    plugin(two, 'twin', '');
    const message = await refused([one, two], /Plugin name "twin" is used twice/, 'twin');
    expect(message).toContain(join(one, 'twin', 'package.json'));
    expect(message).toContain(join(two, 'twin', 'package.json'));
  });

  it('duplicate importer ids', async () => {
    const importer = `importers: [{ id: 'same-source', label: 'S', async *scan() {} }]`;
    await refused([pair(importer, importer)], /importer id "same-source" is declared by plugin "beta".*already belongs to plugin "alpha"/);
  });

  it('duplicate metadata keys, and core keys', async () => {
    const field = (key: string) => `metadataFields: [{ key: '${key}', type: 'string', label: 'L' }]`;
    await refused([pair(field('mood'), field('mood'))], /metadata field key "mood" is declared by plugin "beta".*already belongs to plugin "alpha"/);
    await refused([pair(field('cameraModel'), '')], /metadata field key "cameraModel" is declared by plugin "alpha".*already belongs to core/);
  });

  it('duplicate site route paths (parameter names do not matter), and core routes', async () => {
    const route = (param: string) => `routes: [{ path: '/films/:${param}', template: 'index', handler: () => ({}) }]`;
    await refused([pair(route('slug'), route('id'))], /site route "\/films\/:id" is declared by plugin "beta".*"\/films\/:slug" already belongs to plugin "alpha"/);
    await refused([pair(`routes: [{ path: '/albums/mine', template: 'index', handler: () => ({}) }]`, '')], /site route "\/albums\/mine" is declared by plugin "alpha".*already belongs to core/);
  });

  it('duplicate ws.php (API) method names, and core namespaces', async () => {
    const method = (name: string) => `wsMethods: [{ name: '${name}', params: {}, handler: () => 1 }]`;
    await refused([pair(method('films.getList'), method('films.getList'))], /ws\.php method "films\.getList" is declared by plugin "beta".*already belongs to plugin "alpha"/);
    await refused([pair(method('pwg.images.getInfo'), '')], /ws\.php method "pwg\.images\.getInfo" is declared by plugin "alpha".*already belongs to core/);
  });

  it('duplicate image-size names, and core sizes', async () => {
    const size = (name: string) => `imageSizes: [{ name: '${name}', width: 800, height: 600 }]`;
    await refused([pair(size('poster'), size('poster'))], /image size "poster" is declared by plugin "beta".*already belongs to plugin "alpha"/);
    await refused([pair(size('thumb'), '')], /image size "thumb" is declared by plugin "alpha".*already belongs to core/);
  });

  it('an unknown hook name', async () => {
    const message = await refused([pair(`hooks(h) { h.on('photo.uploadd', () => undefined); }`, '')], /unknown hook "photo\.uploadd"/);
    expect(message).toMatch(/alpha\/index\.js: Plugin "alpha"/);
  });

  it('the server prints it as one line and exits non-zero, nothing started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-conflict-srv-'));
    const size = `imageSizes: [{ name: 'poster', width: 800, height: 600 }]`;
    const root = pair(size, size);
    const env: Record<string, string | undefined> = { DATA_DIR: join(dir, 'data'), PORT: '0', PLUGINS_DIR: root, PLUGINS_ENABLE: 'alpha,beta', ADMIN_PASSWORD: 'correct horse battery' };
    if (process.env.DATABASE_URL) env.DATABASE_URL = undefined; // the embedded database is enough here
    const p = spawnVitrine(env);
    expect(await p.exited()).not.toBe(0);
    const lines = p.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^vitrine: Plugin error: Conflict: image size "poster" is declared by plugin "beta" \(.*\), but it already belongs to plugin "alpha"/);
  });
});
