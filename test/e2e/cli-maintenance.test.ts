import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, withDatabase } from '../support/global-setup.js';
import { runVitrineCli } from '../support/spawn-vitrine.js';
import { jpeg } from './media-harness.js';

/** Runs the built CLI (`dist/src/cli.js`: `npm run build` first). */
const pgUrl = process.env.DATABASE_URL;

describe('vitrine jobs and vitrine doctor', () => {
  let dir: string;
  let env: Record<string, string | undefined>;
  let dbName: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-maint-'));
    env = { DATA_DIR: join(dir, 'data'), DATABASE_URL: undefined };
    if (pgUrl) {
      dbName = `vitrine_cli_maint_${process.pid}_${Date.now()}`;
      await adminQuery(pgUrl, `CREATE DATABASE ${dbName}`);
      env.DATABASE_URL = withDatabase(pgUrl, dbName);
    }
    mkdirSync(join(dir, 'photos'));
    for (let i = 0; i < 2; i++) writeFileSync(join(dir, 'photos', `m${i}.jpg`), await jpeg(1300 + i));
  });
  afterAll(async () => {
    if (pgUrl && dbName) await adminQuery(pgUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runVitrineCli(env, args);

  it('doctor finds a missing thumbnail, --repair queues it, jobs lists and refuses bad retries', async () => {
    expect((await cli('import', join(dir, 'photos'))).code).toBe(0);
    const thumbs = (await readdir(join(dir, 'data', 'derivatives'), { recursive: true })).filter((f) => String(f).endsWith('thumb.jpg'));
    expect(thumbs).toHaveLength(2);
    await unlink(join(dir, 'data', 'derivatives', String(thumbs[0])));

    const check = await cli('doctor');
    expect(check.code, check.err).toBe(1);
    const missing = /Photos missing eager derivatives: 1: (\d+) — run with --repair to fix/.exec(check.out);
    expect(missing, check.out).not.toBeNull();
    expect(check.out).toContain('Orphan originals (no photo row): 0');

    const repair = await cli('doctor', '--repair');
    expect(repair.code, repair.err).toBe(0);
    expect(repair.out).toContain('1 job(s) queued');

    const list = await cli('jobs', 'list', '--state', 'queued');
    expect(list.code, list.err).toBe(0);
    // The photo without its thumbnail has a derivative job waiting. (Other photos' delayed
    // safety-net jobs, and on PGlite the database's vacuum job, may wait there too.)
    // Job ids are digits on the table queue (PGlite) and UUIDs on pg-boss (Postgres, JOB_QUEUE=auto).
    const jobId = pgUrl && process.env.JOB_QUEUE !== 'table' ? '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' : '\\d+';
    expect(list.out).toMatch(new RegExp(`#${jobId} {2}derivatives\\.eager {2}queued {2}attempt 0/5 {2}\\{"photoId":${missing![1]}\\}`));

    const none = await cli('jobs', 'retry', '--failed');
    expect(none.out).toContain('Re-queued 0 failed job(s).');
    const bad = await cli('jobs', 'retry', '1');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^vitrine: Job 1 is not in the failed state/m);

    // Deleting photos is never implied: --purge-missing needs --repair.
    const purge = await cli('doctor', '--purge-missing');
    expect(purge.code).toBe(1);
    expect(purge.err).toMatch(/^vitrine: --purge-missing deletes photos and only works together with --repair/m);
  }, 300_000);
});
