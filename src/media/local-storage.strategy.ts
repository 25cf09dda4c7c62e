import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { VitrineError } from '../common/errors.js';
import { SIZE_NAME } from './image-size.registry.js';
import { isAbandonedTag, TAG_PATTERN } from './process-tag.js';
import { untilDurable } from './upload-spool.js';
import {
  DERIVATIVE_EXTENSIONS,
  ORIGINAL_EXTENSIONS,
  type OriginalEntry,
  type StorageStrategy,
  type StoredOriginal,
} from './storage.strategy.js';

const SHA256 = /^[0-9a-f]{64}$/;
const ORIGINAL_KEY = /^originals\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})\.([a-z]{3,4})$/;
const DERIVATIVE_KEY = /^derivatives\/(\d{1,13})\/(\d{1,16})\/([a-z0-9][a-z0-9_-]{0,31})(?:@[0-9a-f]{16})?\.([a-z]{3,4})$/;

/** File-system calls the strategy uses; tests swap `rename` to simulate a cross-device move. */
export interface StorageFs {
  rename: typeof fsp.rename;
}

/**
 * {@link StorageStrategy} on the local disk under `DATA_DIR` (`originals/`, `derivatives/`).
 * Durable: data is fsynced before the rename that publishes it and the directory after.
 */
export class LocalStorageStrategy implements StorageStrategy {
  constructor(
    /** Absolute data directory (`VitrineConfig.dataDir`). */
    private readonly dataDir: string,
    private readonly fs: StorageFs = { rename: fsp.rename },
  ) {}

  async putOriginal(tempPath: string, sha256: string, ext: string): Promise<StoredOriginal> {
    if (!SHA256.test(sha256)) throw badKey('a SHA-256 in lowercase hex');
    if (!ORIGINAL_EXTENSIONS.has(ext)) throw badKey(`an original extension (${[...ORIGINAL_EXTENSIONS].join(', ')})`);
    const key = posix.join('originals', sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.${ext}`);
    const target = this.resolve(key);
    // A spooled upload's fsync runs in the background: its data must be on disk before the rename.
    await untilDurable(tempPath);
    const { size } = await fsp.stat(tempPath);
    const existing = await fsp.lstat(target).catch(() => undefined);
    if (existing?.isFile() && existing.size === size) {
      await fsp.unlink(tempPath);
      return { key, created: false, size };
    }
    const dir = dirname(target);
    await fsp.mkdir(dir, { recursive: true, mode: 0o750 });
    await this.move(tempPath, target);
    await fsyncDirectory(dir);
    return { key, created: true, size };
  }

  async removeOriginal(key: string): Promise<void> {
    if (!ORIGINAL_KEY.test(key)) throw badKey('an original key');
    await fsp.unlink(this.resolve(key)).catch(ignoreMissing);
  }

  originalPath(key: string): string {
    if (!ORIGINAL_KEY.test(key)) throw badKey('an original key');
    return this.resolve(key);
  }

  derivativePath(photoId: number, size: string, ext: string, variant?: string): string {
    return this.resolve(derivativeKey(photoId, size, ext, variant));
  }

  async removeDerivatives(photoId: number): Promise<void> {
    await fsp.rm(this.resolve(photoDirectory(photoId)), { recursive: true, force: true });
  }

  async exists(key: string): Promise<boolean> {
    if (!ORIGINAL_KEY.test(key) && !DERIVATIVE_KEY.test(key)) throw badKey('an original or derivative key');
    const stat = await fsp.lstat(this.resolve(key)).catch(() => undefined);
    return stat?.isFile() ?? false;
  }

  async *listOriginals(): AsyncIterable<OriginalEntry> {
    const root = this.resolve('originals');
    for (const a of await sortedDirs(root)) {
      for (const b of await sortedDirs(join(root, a))) {
        const files = (await fsp.readdir(join(root, a, b), { withFileTypes: true }).catch(() => [])).filter((f) => f.isFile());
        for (const file of files.map((f) => f.name).sort()) {
          const key = posix.join('originals', a, b, file);
          const m = ORIGINAL_KEY.exec(key);
          if (!m?.[3] || !m[4] || m[3].slice(0, 2) !== a || m[3].slice(2, 4) !== b || !ORIGINAL_EXTENSIONS.has(m[4])) continue;
          const { size } = await fsp.stat(join(root, a, b, file));
          yield { key, sha256: m[3], ext: m[4], size };
        }
      }
    }
  }

  async *listDerivativeDirs(): AsyncIterable<{ photoId: number; files: string[] }> {
    const root = this.resolve('derivatives');
    const groups = (await fsp.readdir(root, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory() && /^\d{1,9}$/.test(e.name));
    for (const group of groups.map((g) => g.name).sort((a, b) => Number(a) - Number(b))) {
      const dirs = (await fsp.readdir(join(root, group), { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory() && /^[1-9]\d{0,9}$/.test(e.name));
      for (const dir of dirs.map((d) => d.name).sort((a, b) => Number(a) - Number(b))) {
        if (Math.floor(Number(dir) / 1000) !== Number(group)) continue;
        const files = (await fsp.readdir(join(root, group, dir), { withFileTypes: true }).catch(() => [])).filter((f) => f.isFile()).map((f) => f.name);
        yield { photoId: Number(dir), files: files.sort() };
      }
    }
  }

  async removeDerivativeTemp(photoId: number, name: string): Promise<void> {
    if (!/^[a-z0-9][a-z0-9_@.-]{0,120}\.tmp$/.test(name) || name.includes('..')) throw badKey('a derivative temp file name');
    await fsp.unlink(join(this.resolve(photoDirectory(photoId)), name)).catch(ignoreMissing);
  }

  async removeAbandonedDerivativeTemps(photoId: number): Promise<number> {
    const dir = this.resolve(photoDirectory(photoId));
    const names = await fsp.readdir(dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const tag = name.endsWith('.tmp') ? TAG_PATTERN.exec(name) : null;
      if (!tag || !isAbandonedTag(tag[0])) continue;
      await fsp.unlink(join(dir, name)).catch(ignoreMissing);
      removed++;
    }
    return removed;
  }

  /** Rename; across file systems copy to a temp name beside the target, fsync, rename, unlink. */
  private async move(from: string, to: string): Promise<void> {
    try {
      await this.fs.rename(from, to);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    }
    const temp = `${to}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fsp.copyFile(from, temp, fsp.constants.COPYFILE_EXCL);
      const handle = await fsp.open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(temp, to);
    } catch (error) {
      await fsp.unlink(temp).catch(() => undefined);
      throw error;
    }
    await fsp.unlink(from);
  }

  private resolve(key: string): string {
    return join(this.dataDir, ...key.split('/'));
  }
}

/** `derivatives/<photoId ÷ 1000>/<photoId>/<size>[@<variant>].<ext>`, every part validated. */
export function derivativeKey(photoId: number, size: string, ext: string, variant?: string): string {
  if (!SIZE_NAME.test(size)) throw badKey('a size name');
  if (!DERIVATIVE_EXTENSIONS.has(ext)) throw badKey(`a derivative extension (${[...DERIVATIVE_EXTENSIONS].join(', ')})`);
  if (variant !== undefined && !/^[0-9a-f]{16}$/.test(variant)) throw badKey('a variant (16 hex digits)');
  return posix.join(photoDirectory(photoId), `${size}${variant === undefined ? '' : `@${variant}`}.${ext}`);
}

function photoDirectory(photoId: number): string {
  if (!Number.isSafeInteger(photoId) || photoId < 1) throw badKey('a positive photo id');
  return posix.join('derivatives', String(Math.floor(photoId / 1000)), String(photoId));
}

function badKey(expected: string): VitrineError {
  return new VitrineError('invalid', 'storage.invalid_key', `Storage expected ${expected}.`);
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

async function sortedDirs(path: string): Promise<string[]> {
  const entries = await fsp.readdir(path, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name))
    .map((e) => e.name)
    .sort();
}

async function fsyncDirectory(path: string): Promise<void> {
  const handle = await fsp.open(path, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the data itself was synced.
  } finally {
    await handle.close();
  }
}
