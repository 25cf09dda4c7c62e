import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../access/policies.decorator.js';
import { VitrineError } from '../common/errors.js';
import { ADMIN_RENDERER } from './admin-page.service.js';
import type { AdminViewRenderer } from './admin-view.renderer.js';

const NAME = /^(?:vendor\/)?[a-z0-9][a-z0-9.-]{0,80}$/;

/**
 * `GET /admin/assets/<file>` and `/admin/assets/vendor/<file>`: the admin's CSS and scripts (no
 * secrets in them, hence public), ETag = content hash, immutable caching (URLs carry `?v=`).
 */
@Controller('admin/assets')
@Public()
export class AdminAssetsController {
  constructor(@Inject(ADMIN_RENDERER) private readonly renderer: AdminViewRenderer) {}

  @Get('vendor/:file')
  vendor(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    this.serve(`vendor/${file}`, req, res);
  }

  @Get(':file')
  own(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    this.serve(file, req, res);
  }

  private serve(name: string, req: Request, res: Response): void {
    const asset = NAME.test(name) ? this.renderer.asset(name) : null;
    if (!asset) throw new VitrineError('not_found', 'asset.not_found', 'No such file.');
    const etag = `"${asset.hash}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.get('if-none-match') === etag) {
      res.status(304).end();
      return;
    }
    res.status(200).type(asset.type).send(asset.body);
  }
}
