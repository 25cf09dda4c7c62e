import { unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { spoolUpload, type SpooledFile } from '../media/upload-spool.js';

/** What multer puts in `req.files` with {@link SpoolStorageEngine}. */
export interface SpooledMulterFile extends SpooledFile {
  fieldname: string;
  originalname: string;
  mimetype: string;
}

interface IncomingFile {
  fieldname: string;
  originalname: string;
  mimetype: string;
  stream: Readable;
}

type Callback<T> = (error: Error | null, info?: T) => void;

/**
 * A multer storage engine that streams each file part through `spoolUpload`: size cap checked
 * before every write, SHA-256 and MD5 computed in the same pass, random name in `DATA_DIR/tmp`.
 * So an HTTP upload is hashed while it arrives and never copied again before the probe. Multer
 * calls `_removeFile` for files already stored when a later part fails.
 */
export class SpoolStorageEngine {
  constructor(private readonly options: { tempDir: string; maxBytes: number }) {}

  _handleFile(_req: unknown, file: IncomingFile, callback: Callback<Partial<SpooledMulterFile>>): void {
    // Iterate without destroying the part on early exit: destroying it would make multer report
    // the stream's AbortError instead of our `upload.too_large`. The rest is drained below.
    const chunks = file.stream.iterator({ destroyOnReturn: false });
    spoolUpload(chunks, this.options).then(
      (spooled) => callback(null, spooled),
      (error: Error) => {
        // Keep reading so busboy can finish the request; the bytes go nowhere.
        file.stream.resume?.();
        callback(error);
      },
    );
  }

  _removeFile(_req: unknown, file: { path?: string }, callback: (error: Error | null) => void): void {
    if (!file.path) return callback(null);
    unlink(file.path).then(
      () => callback(null),
      () => callback(null),
    );
  }
}
