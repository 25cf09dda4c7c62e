import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../access/policies.decorator.js';
import type { AccessRequest } from '../access/policies.guard.js';
import { GUEST } from '../access/principal.js';
import { AbilityFactory } from '../access/ability.factory.js';
import { VitrineError } from '../common/errors.js';
import type { DerivativeFormat } from '../media/derivative.generator.js';
import { attachmentDisposition } from './content-disposition.js';
import { MediaFileService, type ServableFile } from './media-file.service.js';
import { DERIVATIVE_FILE_PART, derivativeCacheControl, negotiateFormat, startMediaResponse } from './media-response.js';


/**
 * Photo bytes: `GET /media/photos/:id/original` and `GET /media/photos/:id/:size[.jpg|.webp|.avif]`
 * (without an extension the format follows `Accept`: WebP when allowed, else JPEG; `Vary: Accept`).
 *
 * Both routes are `@Public()` at the CASL level on purpose: who may see *this* photo is not a
 * role question but the visibility rule (albums, grants, share links, privacy level), and
 * MediaFileService asks VisibilityService on every request before touching a file. A photo the
 * principal cannot see answers exactly like a missing one. No file is served as a static path.
 */
@Controller('media/photos')
export class MediaFileController {
  constructor(
    private readonly media: MediaFileService,
    private readonly abilities: AbilityFactory,
  ) {}

  @Get(':id/original')
  @Public()
  async original(@Param('id') id: string, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const principal = req.principal ?? GUEST;
    const ability = (req.ability ??= await this.abilities.forPrincipal(principal));
    const file = await this.media.original(principal, id, ability.can('download', 'Photo'));
    res.setHeader('Content-Disposition', attachmentDisposition(file.originalName, file.ext, `photo-${file.id}`));
    await this.send(req, res, file, 'private, no-cache');
  }

  @Get(':id/:file')
  @Public()
  async derivative(@Param('id') id: string, @Param('file') filePart: string, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const match = DERIVATIVE_FILE_PART.exec(filePart);
    const format: DerivativeFormat | undefined = match?.[2] ? this.media.formatOf(match[2]) : negotiateFormat(req.header('accept'));
    if (!match || !format) throw new VitrineError('not_found', 'photo.not_found', 'This photo does not exist.');
    if (!match[2]) res.setHeader('Vary', 'Accept');
    const principal = req.principal ?? GUEST;
    const canDownload = async () => (req.ability ??= await this.abilities.forPrincipal(principal)).can('download', 'Photo');
    const file = await this.media.derivative(principal, id, match[1]!, format, canDownload);
    if (file.personal) res.append('Vary', 'Cookie, Authorization');
    await this.send(req, res, file, derivativeCacheControl(file));
  }

  private async send(req: AccessRequest, res: Response, file: ServableFile, cacheControl: string): Promise<void> {
    if (!startMediaResponse(req, res, file, cacheControl)) return;
    await pipeline(createReadStream(file.path), res).catch(() => res.destroy());
  }
}
