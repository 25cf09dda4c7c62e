import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { VitrineError } from '../common/errors.js';

/**
 * Proves the data directory is writable (or can be created) without leaving anything behind:
 * an existing directory gets a probe file that is removed at once; a missing one is checked
 * through its nearest existing parent and created later, once every other check passed.
 */
export function assertDataDirWritable(dataDir: string): void {
  try {
    if (existsSync(dataDir)) {
      const probe = join(dataDir, `.write-test-${process.pid}`);
      writeFileSync(probe, '');
      rmSync(probe);
      return;
    }
    let parent = dirname(dataDir);
    while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
    if (!statSync(parent).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(parent, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new VitrineError(
      'unavailable',
      'config.data_dir_unwritable',
      `The data directory ${dataDir} is not writable (${code}). Fix its permissions or set DATA_DIR to a writable directory.`,
    );
  }
}

/** Fails early, before the database is touched, when the port cannot be bound. */
export function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `Port ${port} is already in use (is Vitrine already running?). Stop the other program or set PORT to a free port.`
          : error.code === 'EACCES'
            ? `Not allowed to listen on port ${port}. Use a port above 1023 or run with the needed rights.`
            : `Cannot listen on ${host}:${port}: ${error.message}`;
      reject(new VitrineError('unavailable', 'config.port_unavailable', reason));
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/** Creates the data directory (after the checks above passed). */
export function createDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
}
