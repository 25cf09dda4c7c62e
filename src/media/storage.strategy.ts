/**
 * Where originals and derivatives live. One implementation is active (local disk now, S3-style
 * later), chosen at boot: a strategy, not a hook (DESIGN.md §5). Every path component is
 * generated or validated here; nothing from a request (file names, titles) ever becomes a path.
 *
 * Keys are relative POSIX paths stored in `photos.storage_key`:
 * - originals are content-addressed: `originals/<ab>/<cd>/<sha256>.<ext>`;
 * - derivatives belong to a photo: `derivatives/<id ÷ 1000>/<photoId>/<size>.<ext>`.
 */
export interface StorageStrategy {
  /**
   * Moves a probed temp file into storage under its SHA-256 (atomic rename, or copy + fsync +
   * rename across devices). When identical content is already stored, the temp file is deleted
   * and the existing key returned with `created: false`. The caller guarantees `sha256` is the
   * hash of the file (the upload spool computes it). A file from `spoolUpload` may still be being
   * fsynced: implementations await `untilDurable(tempPath)` before they publish it.
   */
  putOriginal(tempPath: string, sha256: string, ext: string): Promise<StoredOriginal>;
  /**
   * Deletes an original. Content-addressed: call it only when no photo row references the key
   * any more. A missing file is not an error.
   */
  removeOriginal(key: string): Promise<void>;
  /** A local file path sharp and exifr can read for an original key. */
  originalPath(key: string): string;
  /**
   * Where a derivative of `photoId` in `size` and `ext` (`jpg`, `webp`, `avif`) is written and read.
   * `variant` (16 lower-case hex digits, from the `image.variant` hook's key) names a variant of it
   * (`<size>@<variant>.<ext>`), kept apart from the clean file and removed with it.
   */
  derivativePath(photoId: number, size: string, ext: string, variant?: string): string;
  /** Deletes every derivative of a photo (after delete, rotation or a new original). */
  removeDerivatives(photoId: number): Promise<void>;
  /** Whether the file behind an original or derivative key exists. */
  exists(key: string): Promise<boolean>;
  /** Every stored original, for a doctor/fsck command; stray files are skipped. */
  listOriginals(): AsyncIterable<OriginalEntry>;
  /** Every photo directory of derivatives with its file names (doctor). */
  listDerivativeDirs(): AsyncIterable<{ photoId: number; files: string[] }>;
  /** Removes a leftover temp file (`*.tmp`) from a photo's derivative directory (doctor). */
  removeDerivativeTemp(photoId: number, name: string): Promise<void>;
  /**
   * Removes the temp files that processes which no longer run (kill -9, power loss) left in one
   * photo's derivative directory; returns how many. Temps of live processes are kept.
   */
  removeAbandonedDerivativeTemps(photoId: number): Promise<number>;
}

export interface StoredOriginal {
  key: string;
  /** False when the same content was already stored (the temp file was discarded). */
  created: boolean;
  size: number;
}

export interface OriginalEntry {
  key: string;
  sha256: string;
  ext: string;
  size: number;
}

/** Nest injection token for the active {@link StorageStrategy}. */
export const STORAGE_STRATEGY = Symbol('STORAGE_STRATEGY');

/** Extensions an original may be stored with (from the sniffed format, never the client). */
export const ORIGINAL_EXTENSIONS: ReadonlySet<string> = new Set(['jpg', 'png', 'webp', 'avif', 'gif', 'tif']);
/** Extensions of derivatives. */
export const DERIVATIVE_EXTENSIONS: ReadonlySet<string> = new Set(['jpg', 'webp', 'avif']);

/** The key of an original under the content-addressed layout above. */
export function originalKeyOf(sha256: string, ext: string): string {
  return `originals/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}.${ext}`;
}
