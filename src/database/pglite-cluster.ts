import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Server settings of the embedded database. Postgres's default 128 MB of shared buffers live in
 * PGlite's WebAssembly memory, which never shrinks. 16 MB holds the hot pages of the gallery
 * tables the pages and uploads touch; the OS page cache keeps the rest of the files close. Against
 * 32 MB it keeps the server 15–25 MB smaller (peak after 24 uploads: 332–351 MB against
 * 361–371 MB, three runs each), which the 400 MB budget of a 1 000-photo import needs since the
 * JavaScript heap may grow to twice its live size (src/bootstrap/heap-growth.ts). Large galleries
 * belong on Postgres (`DATABASE_URL`).
 */
export const PGLITE_SETTINGS = ['shared_buffers=16MB'];

/**
 * Makes sure `dataDir` holds a PGlite cluster, creating it in a short-lived child process when it
 * does not. Creating a cluster runs initdb inside the process's WebAssembly memory, and that memory
 * is never given back: a server that created its database on first start kept ~800 MB resident for
 * its whole life, against ~200 MB for one that opened an existing cluster.
 */
export async function ensurePgliteCluster(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)});
const db = await PGlite.create({ dataDir: process.argv[1] });
await db.close();`;
  try {
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, dataDir], { timeout: 120_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1);
    throw new Error(`creating the database failed${stderr ? `: ${stderr}` : ''}`);
  }
}
