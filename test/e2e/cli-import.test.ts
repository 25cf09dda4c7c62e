import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, withDatabase } from '../support/global-setup.js';
import { runVitrineCli } from '../support/spawn-vitrine.js';
import { jpeg } from './media-harness.js';

/** Runs the built CLI (`dist/src/cli.js`: `npm run build` first). */
const pgUrl = process.env.DATABASE_URL;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('vitrine import <folder>', () => {
  let dir: string;
  let env: Record<string, string | undefined>;
  let dbName: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-import-'));
    env = { DATA_DIR: join(dir, 'data'), DATABASE_URL: undefined };
    if (pgUrl) {
      dbName = `vitrine_cli_import_${process.pid}_${Date.now()}`;
      await adminQuery(pgUrl, `CREATE DATABASE ${dbName}`);
      env.DATABASE_URL = withDatabase(pgUrl, dbName);
    }
    mkdirSync(join(dir, 'photos', 'Day 2'), { recursive: true });
    for (let i = 0; i < 4; i++) writeFileSync(join(dir, 'photos', `p${i}.jpg`), await jpeg(900 + i));
    writeFileSync(join(dir, 'photos', 'Day 2', 'q.jpg'), await jpeg(950));
    writeFileSync(join(dir, 'photos', 'readme.txt'), 'just text');
  });
  afterAll(async () => {
    if (pgUrl && dbName) await adminQuery(pgUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (args: string[]) => runVitrineCli(env, args);

  it('imports with albums from folders, builds the eager derivatives, reports skips; a rerun skips everything by hash', async () => {
    const first = await cli(['import', join(dir, 'photos'), '--albums-from-folders']);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('Found 6 file(s)');
    expect(first.out).toMatch(/Imported 5, skipped 1, failed 0 of 6 file\(s\)/);
    expect(first.out).toMatch(/Skipped, not an image \(1\):\n {2}readme\.txt — detected: text/);
    const derivatives = (await filesUnder(join(dir, 'data', 'derivatives'))).map((f) => f.split('/').pop());
    expect(derivatives.filter((n) => n === 'thumb.jpg')).toHaveLength(5);
    expect(derivatives.filter((n) => n === 'medium.jpg')).toHaveLength(5);

    const second = await cli(['import', join(dir, 'photos'), '--albums-from-folders']);
    expect(second.code, second.err).toBe(0);
    expect(second.out).toMatch(/Imported 0, skipped 6, failed 0/);
    expect(second.out).toContain('Skipped, already imported (5):');
  }, 300_000);

  it('explains a folder that does not exist', async () => {
    const run = await cli(['import', join(dir, 'nope')]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^vitrine: .*nope is not a folder that can be read\./m);
  });
});
