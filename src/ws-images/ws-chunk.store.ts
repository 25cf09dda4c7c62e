import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MediaErrors } from '../media/media.errors.js';
import { WsError } from '../piwigo/ws-error.js';

/** Bounds of the chunk spool. */
export interface WsChunkStoreOptions {
  /** Directory of the spool (`DATA_DIR/ws-chunks`), created 0700. */
  root: string;
  /** Largest assembled file (`MAX_UPLOAD_BYTES`): one byte more refuses the chunk and drops the upload. */
  maxFileBytes: number;
  /** Largest total of all pending uploads; beyond it new chunks are refused (413). */
  maxTotalBytes: number;
  /** Pending uploads untouched for this long are removed by {@link WsChunkStore.sweep}. */
  ttlMs: number;
}

/** Where a complete upload was assembled: the caller owns `path` and must ingest or delete it. */
export interface AssembledUpload {
  path: string;
  size: number;
  md5: string;
}

/** A chunk as received: a temp file of the multipart reader, or bytes in memory. */
export type ChunkBytes = { path: string } | { buffer: Buffer };

const MD5 = /^[0-9a-f]{32}$/;
const MAX_CHUNKS = 100_000;

/**
 * The three chunk protocols of ws.php, spooled under one bounded directory:
 * - `pwg.images.upload` (plupload): chunk 0 starts the file, chunk k appends, the last assembles.
 *   Piwigo keys the buffer by the file name only; here it is keyed by (user, name) and chunks must
 *   come in order (a skipped or repeated index is refused and the partial file dropped).
 * - `pwg.images.addChunk` + `pwg.images.add` (digiKam, piwigo_remote.pl): base64 chunks by
 *   position, keyed by (user, original_sum); `add` concatenates them in position order.
 * - `pwg.images.uploadAsync` (mobile apps): chunks `i of n` with their own md5, any order; the
 *   last missing one assembles and checks the whole md5.
 *
 * File names are hashes of the keys, never client text. Every upload lives in its own directory,
 * so removing it is one `rm -r`: on completion, on failure, and on expiry ({@link sweep}).
 */
export class WsChunkStore {
  private readonly locks = new Map<string, Promise<unknown>>();
  private lastSweep = 0;

  constructor(private readonly options: WsChunkStoreOptions) {}

  /** `pwg.images.upload`: appends one plupload chunk; returns the assembled file after the last one. */
  async appendSequential(owner: number, name: string, chunk: number, chunks: number, bytes: ChunkBytes): Promise<AssembledUpload | null> {
    const dir = this.dirOf('pl', owner, name);
    return this.locked(dir, async () => {
      const total = Math.max(chunks, 1);
      if (!Number.isSafeInteger(chunk) || chunk < 0 || chunk >= total || total > MAX_CHUNKS) {
        await this.drop(dir);
        throw new WsError(1003, 'Invalid chunk: chunk must be lower than chunks');
      }
      if (chunk === 0) {
        await this.drop(dir);
        await this.prepare(dir);
      } else {
        const next = await this.readState<{ next: number; chunks: number }>(dir);
        if (!next || next.next !== chunk || next.chunks !== total) {
          await this.drop(dir);
          throw new WsError(1003, `Invalid chunk: expected chunk ${next?.next ?? 0}, got ${chunk}`);
        }
      }
      await this.checkRoom(dir, await sizeOf(bytes));
      await this.appendTo(dir, join(dir, 'data'), bytes);
      await this.touch(dir);
      if (chunk < total - 1) {
        await this.writeState(dir, { next: chunk + 1, chunks: total });
        return null;
      }
      return this.finish(dir, [join(dir, 'data')]);
    });
  }

  /** `pwg.images.addChunk`: stores the chunk at `position` (re-sending a position replaces it). */
  async putPositioned(owner: number, originalSum: string, type: string, position: number, data: Buffer): Promise<void> {
    if (!MD5.test(originalSum)) throw new WsError(1003, 'Invalid original_sum');
    if (!Number.isSafeInteger(position) || position < 0 || position > MAX_CHUNKS) throw new WsError(1003, 'Invalid position');
    const dir = this.dirOf('ac', owner, `${originalSum}-${type}`);
    await this.locked(dir, async () => {
      await this.prepare(dir);
      const file = join(dir, `${String(position).padStart(6, '0')}.block`);
      const previous = await stat(file).then((s) => s.size, () => 0);
      await this.checkRoom(dir, data.length - previous);
      await writeFile(file, data, { mode: 0o600 });
      await this.touch(dir);
    });
  }

  /** `pwg.images.add`: concatenates the stored chunks in position order; null when there are none. */
  async assemblePositioned(owner: number, originalSum: string, type: string): Promise<AssembledUpload | null> {
    if (!MD5.test(originalSum)) throw new WsError(1003, 'Invalid original_sum');
    const dir = this.dirOf('ac', owner, `${originalSum}-${type}`);
    return this.locked(dir, async () => {
      const blocks = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.block')).sort();
      if (!blocks.length) return null;
      return this.finish(dir, blocks.map((b) => join(dir, b)));
    });
  }

  /** Drops the positioned chunks of one file (after a refused `pwg.images.add`). */
  async discardPositioned(owner: number, originalSum: string, type: string): Promise<void> {
    if (MD5.test(originalSum)) await this.drop(this.dirOf('ac', owner, `${originalSum}-${type}`));
  }

  /**
   * `pwg.images.uploadAsync`: stores chunk `chunk` of `chunks` after checking its md5. Returns the
   * indexes received so far, and the assembled file once all are there.
   * @throws WsError 500 'MD5 checksum chunk file mismatched' / 'MD5 checksum merged file mismatched'
   */
  async putNumbered(
    owner: number,
    originalSum: string,
    chunk: number,
    chunks: number,
    chunkSum: string,
    bytes: ChunkBytes,
  ): Promise<{ received: number[]; assembled: AssembledUpload | null }> {
    if (!MD5.test(originalSum)) throw new WsError(1003, 'Invalid original_sum');
    if (!Number.isSafeInteger(chunks) || chunks < 1 || chunks > MAX_CHUNKS || chunk >= chunks) {
      throw new WsError(1003, 'Invalid chunk: chunk must be lower than chunks');
    }
    const dir = this.dirOf('ua', owner, `${originalSum}-${chunks}`);
    return this.locked(dir, async () => {
      if ((await md5Of(bytes)) !== chunkSum.toLowerCase()) throw new WsError(500, 'MD5 checksum chunk file mismatched');
      await this.prepare(dir);
      const file = join(dir, `${String(chunk).padStart(6, '0')}.chunk`);
      const previous = await stat(file).then((s) => s.size, () => 0);
      await this.checkRoom(dir, (await sizeOf(bytes)) - previous);
      await rm(file, { force: true });
      await this.appendTo(dir, file, bytes);
      await this.touch(dir);
      const present = (await readdir(dir)).filter((f) => f.endsWith('.chunk')).sort();
      const received = present.map((f) => Number(f.slice(0, 6)));
      if (present.length < chunks) return { received, assembled: null };
      const assembled = await this.finish(dir, present.map((f) => join(dir, f)));
      if (assembled.md5 !== originalSum) {
        await unlink(assembled.path).catch(() => undefined);
        throw new WsError(500, 'MD5 checksum merged file mismatched');
      }
      return { received, assembled };
    });
  }

  /** Removes pending uploads untouched for longer than the TTL (and stray files). */
  async sweep(now = Date.now()): Promise<number> {
    this.lastSweep = now;
    let removed = 0;
    for (const entry of await readdir(this.options.root).catch(() => [] as string[])) {
      const path = join(this.options.root, entry);
      const info = await stat(path).catch(() => undefined);
      if (!info || now - info.mtimeMs <= this.options.ttlMs || this.locks.has(path)) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /** Bytes held by pending uploads. */
  async usage(): Promise<number> {
    let total = 0;
    for (const entry of await readdir(this.options.root).catch(() => [] as string[])) {
      const path = join(this.options.root, entry);
      for (const file of await readdir(path).catch(() => [] as string[])) total += await stat(join(path, file)).then((s) => s.size, () => 0);
    }
    return total;
  }

  private dirOf(kind: string, owner: number, key: string): string {
    const hash = createHash('sha256').update(`${kind}\0${owner}\0${key}`).digest('hex').slice(0, 40);
    return join(this.options.root, `${kind}-${hash}`);
  }

  /** Serialises the work on one upload (two chunks of the same file never interleave). */
  private async locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(work);
    this.locks.set(key, run);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === run) this.locks.delete(key);
    }
  }

  private async prepare(dir: string): Promise<void> {
    await mkdir(this.options.root, { recursive: true, mode: 0o700 });
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }

  private async checkRoom(dir: string, adding: number): Promise<void> {
    const own = await dirSize(dir);
    if (own + adding > this.options.maxFileBytes) {
      await this.drop(dir);
      throw MediaErrors.tooLarge(this.options.maxFileBytes);
    }
    if (Date.now() - this.lastSweep > 60_000) await this.sweep();
    if ((await this.usage()) + adding > this.options.maxTotalBytes) {
      await this.drop(dir);
      throw new WsError(503, 'Too many uploads in progress, try again later');
    }
  }

  private async appendTo(dir: string, file: string, bytes: ChunkBytes): Promise<void> {
    try {
      if ('buffer' in bytes) await writeFile(file, bytes.buffer, { flag: 'a', mode: 0o600 });
      else await pipeline(createReadStream(bytes.path), createWriteStream(file, { flags: 'a', mode: 0o600 }));
    } catch (error) {
      await this.drop(dir);
      throw error;
    }
  }

  /** Concatenates `parts` into a fresh file beside the spool, hashing it; the upload's directory is removed. */
  private async finish(dir: string, parts: string[]): Promise<AssembledUpload> {
    const path = join(this.options.root, `assembled-${randomBytes(12).toString('hex')}`);
    const hash = createHash('md5');
    let size = 0;
    try {
      const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      for (const part of parts) {
        for await (const piece of createReadStream(part)) {
          const buffer = piece as Buffer;
          hash.update(buffer);
          size += buffer.length;
          if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        }
      }
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      return { path, size, md5: hash.digest('hex') };
    } catch (error) {
      await unlink(path).catch(() => undefined);
      throw error;
    } finally {
      await this.drop(dir);
    }
  }

  private async drop(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  private async readState<T>(dir: string): Promise<T | undefined> {
    return readFile(join(dir, 'state.json'), 'utf8').then((t) => JSON.parse(t) as T, () => undefined);
  }

  private async writeState(dir: string, state: unknown): Promise<void> {
    await writeFile(join(dir, 'state.json'), JSON.stringify(state), { mode: 0o600 });
  }

  private async touch(dir: string): Promise<void> {
    const now = new Date();
    await utimes(dir, now, now).catch(() => undefined);
  }
}

async function sizeOf(bytes: ChunkBytes): Promise<number> {
  return 'buffer' in bytes ? bytes.buffer.length : (await stat(bytes.path)).size;
}

async function md5Of(bytes: ChunkBytes): Promise<string> {
  const hash = createHash('md5');
  if ('buffer' in bytes) return hash.update(bytes.buffer).digest('hex');
  for await (const piece of createReadStream(bytes.path)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const file of await readdir(dir).catch(() => [] as string[])) total += await stat(join(dir, file)).then((s) => s.size, () => 0);
  return total;
}
