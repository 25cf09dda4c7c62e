import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, addAbortSignal } from 'node:stream';
import { MediaErrors } from './media.errors.js';
import { PROCESS_TAG } from './process-tag.js';

/** Where and how much to spool. `maxBytes` is `VitrineConfig.maxUploadBytes`. */
export interface SpoolOptions {
  /** Directory for temp files (created with mode 0700 if missing), e.g. `DATA_DIR/tmp`. */
  tempDir: string;
  /** Largest accepted size in bytes; one byte more aborts the upload. */
  maxBytes: number;
  /** Aborts the spool (client went away); the temp file is removed. */
  signal?: AbortSignal;
}

/** A fully received upload, hashed, waiting in the temp dir for the probe. */
export interface SpooledFile {
  /** Absolute path of the temp file. The caller deletes or moves it. */
  path: string;
  size: number;
  /** Lowercase hex SHA-256 of the content (storage name, dedupe). */
  sha256: string;
  /** Lowercase hex MD5 (Piwigo clients compare it). */
  md5: string;
}

/** Prefix and suffix of spool files, so a cleanup job can recognise leftovers after a crash. */
export const SPOOL_PREFIX = 'upload-';
export const SPOOL_SUFFIX = '.part';

/**
 * Streams an upload to a temp file while computing SHA-256 and MD5 in the same pass. Memory use
 * is one chunk: nothing is held whole. The size cap is checked *before* each chunk is written,
 * so at most `maxBytes` ever reach the disk. The temp file is created with `wx` and mode 0600 and
 * its name is random: the client's file name never touches the file system.
 *
 * The fsync starts when the last byte is written and runs while the caller probes and decodes
 * the file (it waits on the disk, not the CPU); whoever publishes the file — renames it into
 * storage, which acknowledges the upload — awaits {@link untilDurable} first.
 *
 * On any failure (too large, empty, stream error, abort) the temp file is deleted and the error
 * is rethrown; the input stream is destroyed so the transfer stops.
 *
 * @throws VitrineError `upload.too_large` (413) when the input exceeds `maxBytes`,
 *   `upload.empty` (400) when it has no bytes; any stream error as is.
 */
export async function spoolUpload(input: Readable | AsyncIterable<Uint8Array | string>, options: SpoolOptions): Promise<SpooledFile> {
  // An error emitted while we create the temp file must not go unhandled (it would crash the
  // process); the iteration below still sees it through `readable.errored`.
  const swallow = () => undefined;
  if (input instanceof Readable) input.on('error', swallow);
  try {
    return await spool(input, options);
  } finally {
    if (input instanceof Readable) input.off('error', swallow);
  }
}

/** Bytes gathered before one write to the temp file. */
const WRITE_BATCH = 1024 * 1024;

/** Writes `buffer[0, length)` at the current position, looping over short writes. */
async function writeAll(handle: FileHandle, buffer: Buffer, length: number): Promise<void> {
  for (let done = 0; done < length; ) {
    const { bytesWritten } = await handle.write(buffer, done, length - done);
    done += bytesWritten;
  }
}

async function spool(input: Readable | AsyncIterable<Uint8Array | string>, options: SpoolOptions): Promise<SpooledFile> {
  await mkdir(options.tempDir, { recursive: true, mode: 0o700 });
  const path = join(options.tempDir, `${SPOOL_PREFIX}${PROCESS_TAG}-${randomBytes(16).toString('hex')}${SPOOL_SUFFIX}`);
  const handle = await open(path, 'wx', 0o600);
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let size = 0;
  let closed = false;
  try {
    options.signal?.throwIfAborted();
    if (options.signal && input instanceof Readable) addAbortSignal(options.signal, input);
    // Network chunks are ~64 KiB: gather them into one buffer and write 1 MiB at a time (a 5 MB
    // photo is 5 writes instead of 80). The size cap is still checked before any byte is kept.
    const batch = Buffer.allocUnsafe(WRITE_BATCH);
    let batched = 0;
    for await (const piece of input) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
      size += chunk.byteLength;
      if (size > options.maxBytes) throw MediaErrors.tooLarge(options.maxBytes);
      sha256.update(chunk);
      md5.update(chunk);
      for (let from = 0; from < chunk.byteLength; ) {
        const copied = Buffer.from(chunk.buffer, chunk.byteOffset + from, chunk.byteLength - from).copy(batch, batched);
        batched += copied;
        from += copied;
        if (batched === WRITE_BATCH) {
          await writeAll(handle, batch, batched);
          batched = 0;
        }
      }
      options.signal?.throwIfAborted();
    }
    if (batched > 0) await writeAll(handle, batch, batched);
    if (size === 0) throw MediaErrors.empty();
    closed = true;
    syncInBackground(path, handle);
    return { path, size, sha256: sha256.digest('hex'), md5: md5.digest('hex') };
  } catch (error) {
    if (input instanceof Readable && !input.destroyed) input.destroy();
    if (!closed) await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
}

/** fsyncs of spooled files still running (or failed and not yet reported), by path. */
const pendingSyncs = new Map<string, Promise<void>>();

/** fsyncs and closes `handle` without holding up the caller; {@link untilDurable} reports the outcome. */
function syncInBackground(path: string, handle: FileHandle): void {
  const synced = handle.sync().finally(() => handle.close().catch(() => undefined));
  pendingSyncs.set(path, synced);
  // Success forgets the entry; a failure stays until untilDurable reports it (the file may be refused first).
  synced.then(() => pendingSyncs.delete(path), () => undefined);
}

/**
 * Resolves once the content of a file from {@link spoolUpload} is on disk (at once for any other
 * path, or when it already is). Call before publishing the file: a rename into storage before
 * the data is durable could leave an empty original after a power cut.
 * @throws the fsync's error (e.g. EIO): the upload must then be refused.
 */
export async function untilDurable(path: string): Promise<void> {
  const synced = pendingSyncs.get(path);
  if (!synced) return;
  try {
    await synced;
  } finally {
    pendingSyncs.delete(path);
  }
}
