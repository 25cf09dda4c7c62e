import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Server settings of the embedded database. Postgres's default 128 MB of shared buffers live in
 * PGlite's WebAssembly memory, which never shrinks; 32 MB holds the hot tables of a large gallery
 * (the OS page cache keeps the rest of the files close anyway) and keeps the server small.
 */
export const PGLITE_SETTINGS = ['shared_buffers=32MB'];

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
