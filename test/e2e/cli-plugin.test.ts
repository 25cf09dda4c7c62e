import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, withDatabase } from '../support/global-setup.js';
import { runVitrineCli } from '../support/spawn-vitrine.js';

/** Runs the built CLI (`dist/src/cli.js`; run `npm run build` first) on the bundled exif-details plugin. */
const pgUrl = process.env.DATABASE_URL;

describe('vitrine plugin list|enable|disable|uninstall (built CLI)', () => {
  let dir: string;
  let env: Record<string, string | undefined>;
  let dbName: string | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-plugin-'));
    env = { DATA_DIR: join(dir, 'data'), DATABASE_URL: undefined, PLUGINS_DIR: undefined, PLUGINS_ENABLE: undefined };
    if (pgUrl) {
      dbName = `vitrine_clip_${process.pid}_${Date.now()}`;
      await adminQuery(pgUrl, `CREATE DATABASE ${dbName}`);
      env.DATABASE_URL = withDatabase(pgUrl, dbName);
    }
  });
  afterAll(async () => {
    if (pgUrl && dbName) await adminQuery(pgUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runVitrineCli(env, ['plugin', ...args]);
  const statusOf = async (name: string) => {
    const run = await cli('list', '--json');
    expect(run.code, run.err).toBe(0);
    return (JSON.parse(run.out) as { name: string; status: string }[]).find((p) => p.name === name)?.status;
  };

  it('lists, enables (installing), disables and uninstalls a plugin; refuses an unknown one in one line', async () => {
    const list = await cli('list');
    expect(list.code, list.err).toBe(0);
    expect(list.out).toMatch(/^exif-details\s+\S+\s+not-installed\s+Camera settings/m);

    const enabled = await cli('enable', 'exif-details');
    expect(enabled.code, enabled.err).toBe(0);
    expect(enabled.out).toBe('Plugin "exif-details" enabled (now enabled). Restart Vitrine to apply it fully.\n');
    expect(await statusOf('exif-details')).toBe('enabled');

    const disabled = await cli('disable', 'exif-details');
    expect(disabled.code, disabled.err).toBe(0);
    expect(await statusOf('exif-details')).toBe('disabled');

    const removed = await cli('uninstall', 'exif-details', '--drop-data');
    expect(removed.code, removed.err).toBe(0);
    expect(removed.out).toContain('uninstalled and its data dropped');
    expect(await statusOf('exif-details')).toBe('not-installed');

    const unknown = await cli('enable', 'no-such-plugin');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toBe('');
    expect(unknown.err.trim().split('\n')).toEqual([expect.stringMatching(/^vitrine: There is no plugin named "no-such-plugin"/)]);
  }, 180_000);
});
