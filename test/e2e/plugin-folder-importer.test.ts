import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargetFor, openDatabase } from '../../src/database/data-source.js';
import { adminQuery, withDatabase } from '../support/global-setup.js';
import { runVitrineCli } from '../support/spawn-vitrine.js';
import { jpeg } from './media-harness.js';

/** `vitrine import` through the bundled folder-importer plugin (runs the built CLI: `npm run build` first). */
const pgUrl = process.env.DATABASE_URL;

describe('vitrine import with the folder-importer plugin enabled', () => {
  let dir: string;
  let env: Record<string, string | undefined>;
  let dbName: string | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-folder-importer-'));
    env = { DATA_DIR: join(dir, 'data'), DATABASE_URL: undefined, PLUGINS_ENABLE: 'folder-importer' };
    if (pgUrl) {
      dbName = `vitrine_folder_importer_${process.pid}_${Date.now()}`;
      await adminQuery(pgUrl, `CREATE DATABASE ${dbName}`);
      env.DATABASE_URL = withDatabase(pgUrl, dbName);
    }
    const root = join(dir, 'Italy');
    mkdirSync(join(root, 'Rome', 'day 1'), { recursive: true });
    mkdirSync(join(root, '.thumbs'));
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(root, 'cover.jpg'), await jpeg(301));
    writeFileSync(join(root, 'Rome', 'a.jpg'), await jpeg(302));
    writeFileSync(join(root, 'Rome', 'day 1', 'b.jpg'), await jpeg(303));
    writeFileSync(join(root, 'Rome', 'day 1', 'notes.txt'), 'text');
    writeFileSync(join(root, '.thumbs', 'x.jpg'), await jpeg(304));
    writeFileSync(join(dir, 'outside', 'secret.jpg'), await jpeg(305));
    symlinkSync(join(dir, 'outside'), join(root, 'linked'));
  });
  afterAll(async () => {
    if (pgUrl && dbName) await adminQuery(pgUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (args: string[]) => runVitrineCli(env, args);

  /** Album paths and the photos in each, read from the database after the CLI exited. */
  async function albums(): Promise<Record<string, string[]>> {
    const ds = await openDatabase({ target: databaseTargetFor({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR! }) });
    try {
      const rows: { path: string; name: string | null }[] = await ds.query(`
        SELECT (SELECT string_agg(a2.name, ' / ' ORDER BY c.depth DESC) FROM album_closure c JOIN albums a2 ON a2.id = c.ancestor_id WHERE c.descendant_id = a.id) AS path,
               p.original_name AS name
        FROM albums a LEFT JOIN album_photos ap ON ap.album_id = a.id LEFT JOIN photos p ON p.id = ap.photo_id ORDER BY path, name`);
      const out: Record<string, string[]> = {};
      for (const r of rows) (out[r.path] ??= []).push(...(r.name ? [r.name] : []));
      return out;
    } finally {
      await ds.destroy();
    }
  }

  it('scans with the plugin\'s folder-tree importer: folders become albums, hidden files and links stay out; core dedupes a rerun', async () => {
    const first = await cli(['import', join(dir, 'Italy'), '--no-derivatives']);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('Found 3 file(s) with importer "folder-tree"; importing into album(s) "Italy".');
    expect(first.out).toMatch(/Imported 3, skipped 0, failed 0 of 3 file\(s\)/);
    expect(await albums()).toEqual({
      Italy: ['cover.jpg'],
      'Italy / Rome': ['a.jpg'],
      'Italy / Rome / day 1': ['b.jpg'],
    });

    const again = await cli(['import', join(dir, 'Italy'), '--no-derivatives']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/Imported 0, skipped 3, failed 0/);
  });

  it('--album renames the top album; --importer folder falls back to the core scan', async () => {
    const renamed = await cli(['import', join(dir, 'Italy'), '--album', 'Trips', '--no-derivatives']);
    expect(renamed.code, renamed.err).toBe(0);
    expect(renamed.out).toContain('importing into album(s) "Trips"');
    const tree = await albums();
    expect(tree['Trips / Rome / day 1']).toEqual(['b.jpg']); // linked, already imported

    const core = await cli(['import', join(dir, 'Italy'), '--importer', 'folder', '--album', 'Flat', '--no-derivatives']);
    expect(core.code, core.err).toBe(0);
    expect(core.out).toContain('importing into album "Flat"');
  });

  it('names the importers there are when asked for an unknown one', async () => {
    const run = await cli(['import', join(dir, 'Italy'), '--importer', 'nope']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('No importer "nope"; enabled plugin importers: folder-tree.');
  });
});
