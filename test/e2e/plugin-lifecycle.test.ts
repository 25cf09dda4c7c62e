import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/bootstrap/server.js';
import { createLogger } from '../../src/common/logger.js';
import { HookRegistry } from '../../src/hooks/hook.registry.js';
import { PluginAdminService } from '../../src/plugin-host/plugin-admin.service.js';
import { PluginHost } from '../../src/plugin-host/plugin-host.js';
import { UserService } from '../../src/users/user.service.js';
import { seen } from '../fixtures/plugins/full/showcase/src/index.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { as, installTestPrincipal, userPrincipal } from '../support/test-principal.js';

const FULL = join(import.meta.dirname, '..', 'fixtures', 'plugins', 'full');

/** A second application on the same database: what the next start sees (without PLUGINS_ENABLE, which enables at every start). */
async function restart(t: TestApp): Promise<NestExpressApplication> {
  const app = await createApp({ ...t.config, pluginsEnable: [] }, t.db.dataSource, createLogger('silent'));
  installTestPrincipal(app);
  await app.init();
  return app;
}

const tableExists = async (t: TestApp) =>
  (await t.db.dataSource.query(`SELECT to_regclass('plugin_showcase_notes') IS NOT NULL AS present`))[0].present as boolean;

describe('plugin lifecycle: admin pages, disable keeps data, uninstall with dropData, re-install', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const later: NestExpressApplication[] = [];

  beforeAll(async () => {
    t = await createTestApp({ PLUGINS_DIR: FULL, PLUGINS_ENABLE: 'showcase' }, { beforeInit: installTestPrincipal });
    const user = await t.app.get(UserService).create({ username: 'root', role: 'admin' });
    admin = as(userPrincipal(user.id, 'admin', 8));
  });
  afterAll(async () => {
    for (const app of later.reverse()) await app.close().catch(() => undefined);
    await t?.close().catch(() => undefined);
  });

  it('serves its admin page inside the admin layout, lists it in the menu (static entry and admin.menu filter) and on the plugins page', async () => {
    const http = request(t.app.getHttpServer());
    await http.post('/api/v1/plugins/showcase/notes').set(admin).send({ text: 'kept' }).expect(201);
    const page = await http.get('/admin/plugins/showcase').set(admin).expect(200);
    expect(page.text).toContain('<h1>Showcase admin</h1>');
    expect(page.text).toContain('<p class="showcase-admin-count">1</p>');
    expect(page.text).toContain('href="/admin/plugins/showcase"');
    expect(page.text).toContain('Showcase (dynamic)');
    const list = await http.get('/admin/plugins').set(admin).expect(200);
    expect(list.text).toContain('showcase');
    expect(await PluginAdminService.forHost(t.app.get(PluginHost), t.db.dataSource).then((s) => s.list())).toContainEqual(
      expect.objectContaining({ name: 'showcase', status: 'enabled', running: true, installedVersion: '1.0.0' }),
    );
  });

  it('disable: hooks stop at once; after a restart its route, API, ws.php method and field are gone; its data stays', async () => {
    const service = await PluginAdminService.forHost(t.app.get(PluginHost), t.db.dataSource);
    expect(await service.disable('showcase')).toEqual({ name: 'showcase', status: 'disabled', restartRequired: true });
    expect(t.app.get(HookRegistry).subscriptions().filter((s) => s.plugin === 'showcase')).toEqual([]);
    const booted = seen.booted;
    const app = await restart(t);
    later.push(app);
    expect(app.get(PluginHost).loaded.map((p) => p.name)).toEqual([]);
    expect(seen.booted).toBe(booted); // not loaded, so not bootstrapped
    const http = request(app.getHttpServer());
    await http.get('/showcase/x').expect(404);
    await http.get('/api/v1/plugins/showcase/notes').expect(404);
    const ws = JSON.parse((await http.get('/ws.php?format=json&method=showcase.echo')).text);
    expect(ws.stat).toBe('fail');
    await http.patch('/api/v1/photos/1').set(admin).send({ fields: { scene: 'day' } }).expect((res) => expect([400, 404]).toContain(res.status));
    expect(await tableExists(t)).toBe(true);
    expect(await t.db.dataSource.query(`SELECT text FROM plugin_showcase_notes`)).toEqual([{ text: 'kept' }]);
    expect(await t.db.dataSource.query(`SELECT enabled, settings FROM plugins WHERE name = 'showcase'`)).toEqual([{ enabled: false, settings: { greeting: 'Hello' } }]);
  });

  it('uninstall without dropData keeps tables; with dropData its migrations run down, its tables and metadata go', async () => {
    const service = await PluginAdminService.standalone(t.db.dataSource, t.config, createLogger('silent'));
    await service.uninstall('showcase', { dropData: false });
    expect(await t.db.dataSource.query(`SELECT name FROM plugins WHERE name = 'showcase'`)).toEqual([]);
    expect(await tableExists(t)).toBe(true);
    // Reinstall (install is idempotent: its migration is already applied), then uninstall dropping data.
    await service.enable('showcase');
    await t.db.dataSource.query(`INSERT INTO photos (original_name, plugin_data) VALUES ('x.jpg', '{"showcase": {"scene": "day"}, "other": {"a": 1}}')`);
    await service.uninstall('showcase', { dropData: true });
    expect(await tableExists(t)).toBe(false);
    expect(await t.db.dataSource.query(`SELECT name FROM plugin_migrations WHERE plugin = 'showcase'`)).toEqual([]);
    expect(await t.db.dataSource.query(`SELECT plugin_data FROM photos WHERE original_name = 'x.jpg'`)).toEqual([{ plugin_data: { other: { a: 1 } } }]);
    expect((await service.list()).find((p) => p.name === 'showcase')?.status).toBe('not-installed');
  });

  it('enabling again installs it (migration up) and the next start serves it', async () => {
    const service = await PluginAdminService.standalone(t.db.dataSource, t.config, createLogger('silent'));
    expect(await service.enable('showcase')).toEqual({ name: 'showcase', status: 'enabled', restartRequired: true });
    expect(await tableExists(t)).toBe(true);
    const app = await restart(t);
    later.push(app);
    expect((await request(app.getHttpServer()).get('/api/v1/plugins/showcase/notes').expect(200)).body).toEqual({ notes: [] });
  });

  it('refuses unknown plugins with a 404 problem', async () => {
    const service = await PluginAdminService.standalone(t.db.dataSource, t.config, createLogger('silent'));
    await expect(service.enable('nope')).rejects.toMatchObject({ code: 'plugin.not_found' });
  });
});
