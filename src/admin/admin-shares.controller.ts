import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ShareLinkService } from '../access/share-link.service.js';
import { Errors } from '../common/errors.js';
import { parseId } from '../common/validation.js';
import { albumOptions, loadAlbumTree } from './admin-album.tree.js';
import { AdminErrorFilter } from './admin-error.filter.js';
import { formCheckbox, formId, formText, parseForm } from './admin-form.js';
import { AdminPageService } from './admin-page.service.js';
import { AdminPolicies } from './admin-policies.js';

const createForm = z.strictObject({
  albumId: formId,
  label: formText(200).optional(),
  password: z.string().max(200).optional(),
  expires: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')]).optional(),
  includeSubalbums: formCheckbox,
  allowDownload: formCheckbox,
});
const listQuery = z.strictObject({ album: z.union([z.literal(''), formId]).optional() });

/** The end (23:59:59.999 UTC) of a `YYYY-MM-DD` day, or null for an invalid date. */
export function endOfDay(day: string): Date | null {
  const d = new Date(`${day}T23:59:59.999Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day ? null : d;
}

/**
 * `/admin/shares`: share links of albums (with a password, an expiry date, the download right),
 * listed with their state; the link itself is shown once, right after creation, with a copy
 * button (only its hash is stored). Revoking is immediate.
 */
@Controller('admin/shares')
@UseFilters(AdminErrorFilter)
@AdminPolicies.shares
export class AdminSharesController {
  constructor(
    private readonly pages: AdminPageService,
    private readonly links: ShareLinkService,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  async list(@Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { album } = parseForm(listQuery, query);
    const albumId = typeof album === 'number' ? album : undefined;
    const [links, tree] = await Promise.all([this.links.list(albumId === undefined ? {} : { albumId }), loadAlbumTree(this.dataSource.manager)]);
    const options = albumOptions(tree);
    const names = new Map(options.map((o) => [o.id, o.label.trim()]));
    const now = Date.now();
    await this.pages.send(req, res, 'shares', 'Share links', {
      links: links.map((l) => ({
        ...l,
        albumName: l.albumId ? (names.get(l.albumId) ?? `#${l.albumId}`) : `${l.photoCount} photo(s)`,
        state: l.revokedAt ? 'revoked' : l.expiresAt && l.expiresAt.getTime() <= now ? 'expired' : 'active',
      })),
      albums: options,
      albumId: albumId ?? null,
      minDate: new Date(now + 86_400_000).toISOString().slice(0, 10),
    });
  }

  @Post()
  async create(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const form = parseForm(createForm, body);
    const expiresAt = form.expires ? endOfDay(form.expires) : null;
    if (form.expires && !expiresAt) throw Errors.invalid('share.expiry_invalid', 'The expiry date is not a real date.');
    const principal = this.pages.principal(req);
    const { token, link } = await this.links.create({
      albumId: form.albumId,
      label: form.label || undefined,
      password: form.password ? form.password : undefined,
      expiresAt,
      includeSubalbums: form.includeSubalbums,
      allowDownload: form.allowDownload,
      createdBy: principal.kind === 'user' ? principal.userId : null,
    });
    const url = `${req.protocol}://${req.get('host') ?? 'localhost'}/s/${token}`;
    this.pages.flash(req, 'success', `Share link created${link.hasPassword ? ' (password protected)' : ''}. Copy it now: it is shown only once.`, url);
    await this.pages.redirect(res, `/admin/shares?album=${form.albumId}`);
  }

  @Post(':id/revoke')
  async revoke(@Param('id') rawId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const link = await this.links.revoke(parseId(rawId, 'share link'));
    this.pages.flash(req, 'success', `Share link ${link.label ? `“${link.label}” ` : ''}revoked: it no longer opens anything.`);
    await this.pages.redirect(res, '/admin/shares');
  }
}
