import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { SpooledFile } from './upload-spool.js';

/** SHA-256 (lowercase hex) of a file, one sequential read; the file is only read (it may be read-only). */
export async function sha256OfFile(path: string): Promise<string> {
  const sha256 = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) sha256.update(chunk);
  return sha256.digest('hex');
}

/**
 * SHA-256 and MD5 of a file already on disk (one sequential read, one chunk in memory), fsynced
 * so a rename into storage afterwards is durable. For files that did not arrive through
 * `spoolUpload` (tus uploads).
 */
export async function hashFile(path: string): Promise<SpooledFile> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    sha256.update(chunk);
    md5.update(chunk);
  }
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { path, size, sha256: sha256.digest('hex'), md5: md5.digest('hex') };
}
