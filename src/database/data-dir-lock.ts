import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { VitrineError } from '../common/errors.js';

/**
 * An exclusive lock on the embedded database directory. PGlite corrupts its files when two
 * processes open the same directory, so the second one must stop before touching anything.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dbDir: string): DataDirLock {
    const path = join(dbDir, '..', 'vitrine.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number(readFileSync(path, 'utf8').trim());
        if (holder && holder !== process.pid && isAlive(holder)) {
          throw new VitrineError(
            'conflict',
            'database.locked',
            `The data directory is in use by another Vitrine process (pid ${holder}). Stop it first, or set DATA_DIR to another directory.`,
          );
        }
        rmSync(path, { force: true }); // stale lock left by a crash
      }
    }
    throw new VitrineError('conflict', 'database.locked', `Could not lock ${path}.`);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
