import { unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { probeImage, type ProbedImage, type ProbeLimits } from './image-probe.js';
import { spoolUpload, type SpooledFile } from './upload-spool.js';

export interface AdmissionOptions extends ProbeLimits {
  /** Temp directory for the spool (e.g. `DATA_DIR/tmp`). */
  tempDir: string;
  /** `VitrineConfig.maxUploadBytes`. */
  maxBytes: number;
  signal?: AbortSignal;
}

/** An upload that passed every content check, still in its temp file. */
export interface AdmittedUpload {
  file: SpooledFile;
  image: ProbedImage;
}

/**
 * The first half of ingest, in SECURITY.md's order: spool with the size cap while hashing, then
 * {@link probeImage}. On any refusal the temp file is gone before the error reaches the caller.
 * On success the caller owns `file.path`: it extracts metadata, hands it to
 * `StorageStrategy.putOriginal`, or deletes it.
 */
export async function admitUpload(input: Readable | AsyncIterable<Uint8Array | string>, options: AdmissionOptions): Promise<AdmittedUpload> {
  const file = await spoolUpload(input, { tempDir: options.tempDir, maxBytes: options.maxBytes, signal: options.signal });
  try {
    return { file, image: await probeImage(file.path, options) };
  } catch (error) {
    await unlink(file.path).catch(() => undefined);
    throw error;
  }
}
