import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../access/policies.decorator.js';
import { isSafeAssetPath } from '../themes/helpers/asset.helper.js';
import { ThemeService } from './theme.service.js';

/** Asset URLs carry `?v=<content hash>`, so a file can be cached for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Types served inline; anything else goes out as a download-only octet stream. */
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * `GET /assets/<theme>/<path>`: files of the active theme's `assets/` folder, from the loader's
 * index (regular files only, no dot-files, no symlinks), so `..` or an absolute path can never
 * name a file outside it. ETag is the content hash.
 */
@Public()
@Controller('assets')
export class ThemeAssetController {
  constructor(private readonly themes: ThemeService) {}

  @Get(':theme/*path')
  async asset(@Param('theme') name: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const raw = (req.params as Record<string, string | string[] | undefined>).path;
    const path = Array.isArray(raw) ? raw.join('/') : (raw ?? '');
    const theme = await this.themes.active();
    const found = name === theme.id && isSafeAssetPath(path) ? theme.asset(path) : null;
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!found) {
      res.status(404).type('text/plain').setHeader('Cache-Control', 'no-store');
      res.send('Not found');
      return;
    }
    const etag = `"${found.hash}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', IMMUTABLE);
    if (req.get('if-none-match')?.split(/\s*,\s*/).includes(etag)) {
      res.status(304).end();
      return;
    }
    const type = TYPES[extname(path).toLowerCase()];
    res.status(200).setHeader('Content-Type', type ?? 'application/octet-stream');
    if (!type) res.setHeader('Content-Disposition', 'attachment');
    res.send(await readFile(found.file));
  }
}
