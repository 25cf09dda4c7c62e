import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_MIGRATIONS } from '../../migrations/index.js';
import { adminQuery, withDatabase } from '../support/global-setup.js';
import { runVitrineCli, type CliRun } from '../support/spawn-vitrine.js';

/** Runs the built CLI (`dist/src/cli.js`, so run `npx tsc -p tsconfig.build.json` first). */

const pgUrl = process.env.DATABASE_URL;
const MIGRATIONS = CORE_MIGRATIONS.map((M) => new M().name);

describe('vitrine CLI (built dist/src/cli.js)', () => {
  let dir: string;
  let env: Record<string, string | undefined>;
  let dbName: string | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-'));
    env = { DATA_DIR: join(dir, 'data'), DATABASE_URL: undefined, ADMIN_PASSWORD: undefined, VITRINE_PASSWORD: undefined };
    if (pgUrl) {
      dbName = `vitrine_cli_${process.pid}_${Date.now()}`;
      await adminQuery(pgUrl, `CREATE DATABASE ${dbName}`);
      env.DATABASE_URL = withDatabase(pgUrl, dbName);
    }
  });
  afterAll(async () => {
    if (pgUrl && dbName) await adminQuery(pgUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (args: string[], extra: Record<string, string | undefined> = {}): Promise<CliRun> => runVitrineCli({ ...env, ...extra }, args);
  const statusLines = async () => {
    const run = await cli(['migrate', 'status']);
    expect(run.code, run.err).toBe(0);
    return run.out.trim().split('\n');
  };
  /** A failure is exactly one `vitrine: …` line on stderr, no stack, nothing on stdout. */
  const expectOneLineFailure = (run: CliRun, message: RegExp) => {
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/^vitrine: [^\n]+\n$/);
    expect(run.err).toMatch(message);
    expect(run.err).not.toMatch(/^\s+at /m);
  };

  it('migrate status lists every migration as pending on an empty database', async () => {
    expect(await statusLines()).toEqual(MIGRATIONS.map((m) => `pending  ${m}`));
  });

  it('migrate applies them all, then status shows them applied and a second run has nothing to do', async () => {
    const up = await cli(['migrate']);
    expect(up.code, up.err).toBe(0);
    expect(up.out).toBe(`Applied ${MIGRATIONS.length}: ${MIGRATIONS.join(', ')}\n`);
    expect(await statusLines()).toEqual(MIGRATIONS.map((m) => `applied  ${m}`));
    const again = await cli(['migrate', 'up']);
    expect(again.out).toBe('Nothing to apply: the schema is current.\n');
  });

  it('migrate down --steps 2 reverts the two most recent', async () => {
    const down = await cli(['migrate', 'down', '--steps', '2']);
    expect(down.code, down.err).toBe(0);
    expect(down.out).toBe('Reverted 2 migration(s).\n');
    const n = MIGRATIONS.length;
    expect(await statusLines()).toEqual(MIGRATIONS.map((m, i) => `${i < n - 2 ? 'applied ' : 'pending '} ${m}`));
  });

  it('migrate down refuses a bad --steps with one line', async () => {
    expectOneLineFailure(await cli(['migrate', 'down', '--steps', 'two']), /^vitrine: --steps must be a positive whole number \(got "two"\)\.$/m);
  });

  it('create-user migrates, creates the account with its role and prints a generated password', async () => {
    const run = await cli(['create-user', 'alice', '--role', 'editor']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^Created editor "alice" \(id \d+\)\.\nPassword: [A-Za-z0-9_-]{16}\n$/);
    expect(await statusLines()).toEqual(MIGRATIONS.map((m) => `applied  ${m}`));
    const member = await cli(['create-user', 'bob']);
    expect(member.out).toMatch(/^Created member "bob" /);
  });

  it('create-user does not print a password it was given', async () => {
    const run = await cli(['create-user', 'carol'], { VITRINE_PASSWORD: 'correct horse battery' });
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^Created member "carol" \(id \d+\)\.\n$/);
  });

  it('a duplicate user name exits 1 with one clear line', async () => {
    expectOneLineFailure(await cli(['create-user', 'Alice']), /^vitrine: The user name "Alice" is already taken\.$/m);
  });

  it('an unknown role exits 1 with one clear line', async () => {
    expectOneLineFailure(await cli(['create-user', 'dave', '--role', 'king']), /^vitrine: Unknown role "king"\./);
  });

  it('reset-password for an unknown user exits 1 with one clear line', async () => {
    expectOneLineFailure(await cli(['reset-password', 'nobody']), /^vitrine: User "nobody" does not exist\.$/m);
  });

  it('reset-password for a known user prints the new password', async () => {
    const run = await cli(['reset-password', 'alice']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^Password of "alice" changed; its sessions were ended\.\nNew password: [A-Za-z0-9_-]{16}\n$/);
  });

  it('config masks ADMIN_PASSWORD and the password in DATABASE_URL', async () => {
    const run = await cli(['config'], {
      ADMIN_PASSWORD: 'hunter2-but-longer',
      DATABASE_URL: 'postgres://vitrine:s3cr3t-pw@db.example.org:5432/gallery',
    });
    expect(run.code, run.err).toBe(0);
    expect(run.out).not.toContain('hunter2-but-longer');
    expect(run.out).not.toContain('s3cr3t-pw');
    expect(run.out).toMatch(/^adminPassword\s+\*\*\*$/m);
    expect(run.out).toMatch(/^databaseUrl\s+postgres:\/\/vitrine:\*\*\*@db\.example\.org:5432\/gallery$/m);
    expect(run.out).toMatch(new RegExp(`^dataDir\\s+${env.DATA_DIR!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  describe('process settings (bin/vitrine.js launcher)', () => {
    const launcher = resolve(import.meta.dirname, '../../bin/vitrine.js');
    const run = async (extra: Record<string, string | undefined>) => {
      const childEnv: Record<string, string> = {};
      for (const [k, v] of Object.entries({ ...process.env, ...env, ...extra })) if (v !== undefined) childEnv[k] = v;
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [launcher, 'config'], { env: childEnv });
        return { code: 0, out: stdout, err: '' };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, out: e.stdout, err: e.stderr };
      }
    };

    it.each([undefined, ''])('runs the CLI with MALLOC_ARENA_MAX=2 and the heap growing percent when neither is set (%j)', async (unset) => {
      const result = await run({ MALLOC_ARENA_MAX: unset, VITRINE_HEAP_GROWING_PERCENT: unset });
      expect(result.code, result.err).toBe(0);
      expect(result.out).toMatch(/^mallocArenaMax\s+2$/m);
      expect(result.out).toMatch(/^heapGrowingPercent\s+100$/m);
    });

    it('keeps the values the user set, and refuses a bad percent with a clear message', async () => {
      const kept = await run({ MALLOC_ARENA_MAX: '4', VITRINE_HEAP_GROWING_PERCENT: '0' });
      expect(kept.code, kept.err).toBe(0);
      expect(kept.out).toMatch(/^mallocArenaMax\s+4$/m);
      expect(kept.out).toMatch(/^heapGrowingPercent\s+0 \(V8's own heuristic\)$/m);
      const bad = await run({ VITRINE_HEAP_GROWING_PERCENT: 'lots' });
      expect(bad.code).toBe(1);
      expect(bad.err).toContain('VITRINE_HEAP_GROWING_PERCENT must be a whole number from 0 to 1000');
    });
  });
});
