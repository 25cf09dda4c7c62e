import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HookRegistry } from '../../src/hooks/hook.registry.js';
import { PluginHost } from '../../src/plugin-host/plugin-host.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const VALID = join(import.meta.dirname, '..', 'fixtures', 'plugins', 'valid');

describe('plugin host: start-up with the plugins table', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PLUGINS_DIR: VALID, PLUGINS_ENABLE: 'hello,hello-fan' });
  });
  afterAll(async () => t?.close());

  it('installs and enables the plugins named in PLUGINS_ENABLE, storing their state and settings', async () => {
    const rows = await t.db.dataSource.query(`SELECT name, version, enabled, settings FROM plugins ORDER BY name`);
    expect(rows).toEqual([
      { name: 'hello', version: '1.2.0', enabled: true, settings: { greeting: 'Hello' } },
      { name: 'hello-fan', version: '0.3.0', enabled: true, settings: {} },
    ]);
  });

  it('loads them in dependency order into the running application, with their hooks', () => {
    const host = t.app.get(PluginHost);
    expect(host.loaded.map((p) => p.name)).toEqual(['hello', 'hello-fan']);
    const hooks = t.app.get(HookRegistry);
    expect(hooks.subscriptions('hello.greeted').map((s) => s.plugin)).toEqual(['hello-fan']);
    expect(hooks.subscriptions('photo.metadata').map((s) => s.plugin)).toEqual(['hello']);
  });
});
