import { unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { VitrineError } from '../common/errors.js';
import { spoolUpload } from '../media/upload-spool.js';
import { WsError, type WsMultipartBody, type WsUploadedFile } from '../piwigo/index.js';

/** A file part of a ws.php request, spooled to `DATA_DIR/tmp` (hashes computed while it arrived). */
export interface WsSpooledUpload extends WsUploadedFile {
  /** Absolute path of the temp file: **deleted when the response ends**; rename it to keep it. */
  path: string;
  sha256: string;
  md5: string;
}

export interface WsMultipartLimits {
  tempDir: string;
  /** Largest file part (MAX_UPLOAD_BYTES). */
  maxFileBytes: number;
  /** Largest text field; pwg.images.uploadAsync sends the chunk as a file, addChunk is urlencoded. */
  maxFieldBytes?: number;
  maxFiles?: number;
  maxFields?: number;
}

/**
 * `readMultipart` for the engine: streams each file part to a temp file through `spoolUpload`
 * (size cap before every write, SHA-256 + MD5 in the same pass, random name) and collects the
 * text fields in order. Temp files are removed when the response ends (or at once on failure).
 * Too many parts, an oversized field or file → 413; a malformed body → 400.
 */
export function createWsMultipartReader(limits: WsMultipartLimits): (req: Request) => Promise<WsMultipartBody> {
  return (req) => readMultipart(req, limits);
}

function readMultipart(req: Request, limits: WsMultipartLimits): Promise<WsMultipartBody> {
  const files: WsSpooledUpload[] = [];
  const fields: Array<[string, string]> = [];
  const pending: Promise<void>[] = [];
  const cleanup = () => Promise.all(files.map((f) => unlink(f.path).catch(() => undefined)));
  (req.res as Response | undefined)?.on('close', () => void cleanup());

  return new Promise<WsMultipartBody>((resolve, reject) => {
    let failed: unknown;
    const fail = (error: unknown) => {
      failed ??= error;
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: {
          fileSize: limits.maxFileBytes + 1, // the spool reports the real 413 first
          fieldSize: limits.maxFieldBytes ?? 1024 * 1024,
          files: limits.maxFiles ?? 4,
          fields: limits.maxFields ?? 200,
          parts: (limits.maxFiles ?? 4) + (limits.maxFields ?? 200),
        },
      });
    } catch {
      reject(new WsError(400, 'Malformed multipart body'));
      return;
    }
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) fail(new WsError(413, `Field ${name.slice(0, 40)} is too large`));
      else fields.push([name, value]);
    });
    parser.on('file', (field, stream: Readable, info) => {
      if (failed) return void stream.resume();
      const chunks = stream.iterator({ destroyOnReturn: false });
      pending.push(
        spoolUpload(chunks, { tempDir: limits.tempDir, maxBytes: limits.maxFileBytes }).then(
          (spooled) => {
            files.push({ field, filename: info.filename ?? '', contentType: info.mimeType, size: spooled.size, path: spooled.path, sha256: spooled.sha256, md5: spooled.md5 });
          },
          (error: unknown) => {
            stream.resume();
            // An empty file part is PHP's UPLOAD_ERR_NO_FILE: no entry in $_FILES.
            if (error instanceof VitrineError && error.code === 'upload.empty') return;
            fail(error instanceof VitrineError && error.kind === 'too_large' ? new WsError(413, 'File too large') : error);
          },
        ),
      );
    });
    parser.on('partsLimit', () => fail(new WsError(413, 'Too many parts')));
    parser.on('filesLimit', () => fail(new WsError(413, 'Too many files')));
    parser.on('fieldsLimit', () => fail(new WsError(413, 'Too many fields')));
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      void Promise.all(pending).then(async () => {
        if (failed) {
          await cleanup();
          reject(failed);
        } else {
          resolve({ fields, files });
        }
      });
    };
    parser.on('error', () => {
      fail(new WsError(400, 'Malformed multipart body'));
      req.unpipe(parser);
      req.resume();
      finish();
    });
    parser.on('close', finish);
    req.on('error', (error) => {
      fail(error);
      finish();
    });
    req.pipe(parser);
  });
}
