import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, withDatabase } from '../support/global-setup.js';
import { freePort, spawnVitrine } from '../support/spawn-vitrine.js';

const pgUrl = process.env.DATABASE_URL;

/** A throwaway database (Postgres runs) or nothing (PGlite runs, under DATA_DIR). */
async function databaseEnv(): Promise<{ env: Record<string, string | undefined>; drop(): Promise<void> }> {
  if (!pgUrl) return { env: { DATABASE_URL: undefined }, drop: async () => undefined };
  const name = `vitrine_e2e_${process.pid}_${Date.now()}`;
  await adminQuery(pgUrl, `CREATE DATABASE ${name}`);
  return { env: { DATABASE_URL: withDatabase(pgUrl, name) }, drop: () => adminQuery(pgUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

describe('starting and stopping the server', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-e2e-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('first start creates the webmaster and prints URL and login; a restart keeps data and creates no second admin', async () => {
    const db = await databaseEnv();
    const dataDir = join(dir, 'site');
    const port = await freePort();
    const env = { ...db.env, DATA_DIR: dataDir, PORT: String(port), ADMIN_USER: 'owner' };
    try {
      const first = spawnVitrine(env);
      await first.waitForOutput(/Stop with Ctrl-C/);
      expect(first.output()).toContain(`Vitrine is running at http://localhost:${port}`);
      expect(first.output()).toMatch(/user:\s+owner/);
      const password = /password: (\S+)/.exec(first.output())![1]!;
      expect(password.length).toBeGreaterThanOrEqual(16);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'current', dataDir: 'writable' } });
      first.proc.kill('SIGINT');
      expect(await first.exited()).toBe(0);
      expect(first.output()).toContain('Vitrine stopped.');
      expect(existsSync(join(dataDir, 'vitrine.lock'))).toBe(false);

      const second = spawnVitrine(env);
      await second.waitForOutput(/Stop with Ctrl-C/);
      expect(second.output()).not.toContain('First start');
      expect(second.output()).not.toContain(password);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      second.proc.kill('SIGTERM');
      expect(await second.exited()).toBe(0);
    } finally {
      await db.drop();
    }
  });

  it.runIf(!pgUrl)('refuses a second process on the same embedded data directory', async () => {
    const dataDir = join(dir, 'shared');
    const first = spawnVitrine({ DATA_DIR: dataDir, PORT: String(await freePort()), ADMIN_PASSWORD: 'a long password' });
    await first.waitForOutput(/Stop with Ctrl-C/);
    const second = spawnVitrine({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(await second.exited()).toBe(1);
    expect(second.stderr()).toMatch(/^vitrine: The data directory is in use by another Vitrine process \(pid \d+\)/);
    first.proc.kill('SIGTERM');
    expect(await first.exited()).toBe(0);
  });

  describe('bad environments give one clear line, exit 1 and write nothing', () => {
    let blocker: Server;
    let busyPort: number;
    beforeAll(async () => {
      busyPort = await freePort();
      blocker = createServer().listen(busyPort, '0.0.0.0');
    });
    afterAll(() => blocker.close());

    const cases: [string, () => Record<string, string | undefined>, RegExp][] = [
      ['invalid values', () => ({ PORT: 'eighty', LOG_LEVEL: 'loud' }), /^vitrine: Invalid configuration:\n {2}- PORT: must be a whole number.*\n {2}- LOG_LEVEL:/],
      ['a malformed DATABASE_URL', () => ({ DATABASE_URL: 'localhost:5432' }), /DATABASE_URL: must look like postgres:\/\//],
      ['an unreachable DATABASE_URL', () => ({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nowhere' }), /^vitrine: Cannot connect to the database at postgres:\/\/nobody@127\.0\.0\.1:1\/nowhere: connection refused/],
      ['a port in use', () => ({ PORT: String(busyPort) }), new RegExp(`^vitrine: Port ${'\\d+'} is already in use`)],
    ];
    for (const [label, env, message] of cases) {
      it(label, async () => {
        const dataDir = join(dir, `bad-${label.replace(/\W+/g, '-')}`);
        const p = spawnVitrine({ DATABASE_URL: undefined, DATA_DIR: dataDir, PORT: String(busyPort + 1), ...env() });
        expect(await p.exited()).toBe(1);
        expect(p.stderr()).toMatch(message);
        expect(p.stderr()).not.toMatch(/^\s+at /m);
        expect(existsSync(dataDir)).toBe(false);
      });
    }

    it('an unwritable DATA_DIR', async () => {
      const file = join(dir, 'not-a-dir');
      writeFileSync(file, 'x');
      const p = spawnVitrine({ DATABASE_URL: undefined, DATA_DIR: join(file, 'data'), PORT: String(await freePort()) });
      expect(await p.exited()).toBe(1);
      expect(p.stderr()).toMatch(/^vitrine: The data directory .*not-a-dir\/data is not writable/);
      expect(p.stderr()).not.toMatch(/^\s+at /m);
    });
  });

  it('leaves no stray files in the data directory root', () => {
    // The database (PGlite only) and the resumable-upload store; no lock, pid or temp files.
    const entries = readdirSync(join(dir, 'site')).sort();
    expect(entries).toEqual(pgUrl ? ['uploads'] : ['db', 'uploads']);
  });
});
