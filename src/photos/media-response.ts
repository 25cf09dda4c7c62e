import type { Request, Response } from 'express';
import type { DerivativeFormat } from '../media/derivative.generator.js';
import type { ServableFile } from './media-file.service.js';

/** `:file` of a derivative URL: the size name and an optional extension. */
export const DERIVATIVE_FILE_PART = /^([a-z0-9][a-z0-9_-]{0,31})(?:\.([a-z]{3,4}))?$/;

/** Browsers revalidate private images after this; access changes apply within it at most. */
export const PRIVATE_MAX_AGE = 300;

/**
 * `Cache-Control` of a derivative: `public, immutable` ONLY when anonymous visitors may see the
 * photo; personal variants revalidate every time; everything else is `private`.
 */
export function derivativeCacheControl(file: Pick<ServableFile, 'personal' | 'publicToGuests'>): string {
  if (file.personal) return 'private, no-cache';
  return file.publicToGuests ? 'public, max-age=31536000, immutable' : `private, max-age=${PRIVATE_MAX_AGE}`;
}

/** WebP when the client lists it (browsers do), else JPEG. AVIF only when asked by extension. */
export function negotiateFormat(accept: string | undefined): DerivativeFormat {
  return accept && /(^|[\s,])image\/webp(?![^,]*;\s*q=0(\.0*)?\s*(,|$))/i.test(accept) ? 'webp' : 'jpeg';
}

/** Whether `If-None-Match` names this ETag (or `*`). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Sets the headers every media answer carries and decides between 304 and 200. Answers true when
 * the caller must send the body (a 200 to a GET), false when the response is already ended.
 */
export function startMediaResponse(req: Request, res: Response, file: Pick<ServableFile, 'etag' | 'contentType' | 'size'>, cacheControl: string): boolean {
  res.setHeader('ETag', file.etag);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  if (matchesEtag(req.headers['if-none-match'], file.etag)) {
    res.statusCode = 304;
    res.end();
    return false;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Length', String(file.size));
  if (req.method === 'HEAD') {
    res.end();
    return false;
  }
  return true;
}
