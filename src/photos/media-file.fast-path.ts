import { open } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import { SessionPrincipalReader } from '../auth/session-principal.reader.js';
import { MediaFileService, type WarmDerivative } from './media-file.service.js';
import { DERIVATIVE_FILE_PART, derivativeCacheControl, matchesEtag, negotiateFormat, startMediaResponse } from './media-response.js';

const ROUTE = /^\/media\/photos\/([^/]+)\/([^/]+)$/;
/** Files up to this size are read whole and sent in one write; larger ones are streamed. */
const SMALL_FILE = 256 * 1024;

/**
 * `GET|HEAD /media/photos/:id/:size[.ext]` for derivatives that already exist, served in front of
 * the express chain (logging, session middleware, passport, Nest routing), like the site's page
 * cache fast path. Per request: ONE database round trip (session row + its user + data version,
 * {@link SessionPrincipalReader}; none extra for cookie-less guests when concurrent requests share
 * the version read), the cached visibility decision for that version
 * ({@link MediaFileService.warmDerivative}), then the file.
 *
 * It only ever answers 200/304 for a photo the principal may see, with the same headers as the
 * full route (`startMediaResponse`, `derivativeCacheControl`). Everything else — originals, API
 * keys, share-link visitors, unusual sessions, invisible or missing photos, derivatives not built
 * yet, `image.variant` plugins, errors — goes on to the full route, which answers as before.
 */
@Injectable()
export class MediaFileFastPath {
  constructor(
    private readonly media: MediaFileService,
    private readonly principals: SessionPrincipalReader,
  ) {}

  handler(): RequestHandler {
    return (req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      const route = ROUTE.exec(req.path);
      if (!route || route[2] === 'original') return next();
      this.serve(req, res, route[1]!, route[2]!).then(
        (served) => {
          if (!served) next();
        },
        () => (res.headersSent ? res.destroy() : next()),
      );
    };
  }

  /** Answers true when the response was handled here. */
  private async serve(req: Request, res: Response, rawId: string, filePart: string): Promise<boolean> {
    const file = DERIVATIVE_FILE_PART.exec(filePart);
    if (!file) return false;
    const format = file[2] ? this.media.formatOf(file[2]) : negotiateFormat(req.headers.accept);
    if (!format) return false;
    const who = await this.principals.read(req);
    if (!who) return false;
    const derivative = await this.media.warmDerivative(who.principal, who.version, rawId, file[1]!, format);
    if (!derivative) return false;
    if (!file[2]) res.setHeader('Vary', 'Accept');
    if (matchesEtag(req.headers['if-none-match'], derivative.etag)) {
      startMediaResponse(req, res, { ...derivative, size: 0 }, derivativeCacheControl(derivative));
      return true;
    }
    return this.sendFile(req, res, derivative);
  }

  private async sendFile(req: Request, res: Response, derivative: WarmDerivative): Promise<boolean> {
    const handle = await open(derivative.path, 'r').catch(() => undefined);
    if (!handle) return false; // not built yet (or removed): the full route builds it
    let streaming = false;
    try {
      const info = await handle.stat();
      if (!info.isFile()) return false;
      const body = req.method === 'GET' && info.size <= SMALL_FILE ? await handle.readFile() : undefined;
      if (body && body.length !== info.size) return false; // changed under us: let the full route answer
      if (!startMediaResponse(req, res, { ...derivative, size: info.size }, derivativeCacheControl(derivative))) return true;
      if (body) {
        res.end(body);
        return true;
      }
      streaming = true;
      const stream = handle.createReadStream();
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      return true;
    } finally {
      if (!streaming) await handle.close();
    }
  }
}
