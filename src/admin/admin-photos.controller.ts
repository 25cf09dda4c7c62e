import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AlbumService } from '../albums/album.service.js';
import { PhotoEditService } from '../api/photos/photo-edit.service.js';
import { Errors } from '../common/errors.js';
import { parseId } from '../common/validation.js';
import { PRIVACY_LEVELS, type PrivacyLevel } from '../users/user.entity.js';
import { albumOptions, loadAlbumTree } from './admin-album.tree.js';
import { AdminErrorFilter } from './admin-error.filter.js';
import { formCheckbox, formId, formIds, formOptionalId, formOptionalText, formText, parseForm } from './admin-form.js';
import { AdminPageService } from './admin-page.service.js';
import { AdminPhotoRepository, PHOTOS_PER_PAGE } from './admin-photo.repository.js';
import { AdminPolicies } from './admin-policies.js';

/** Piwigo's privacy levels, as the forms name them. */
export const PRIVACY_OPTIONS: { value: PrivacyLevel; label: string }[] = [
  { value: 0, label: 'Everybody' },
  { value: 1, label: 'Contacts' },
  { value: 2, label: 'Friends' },
  { value: 4, label: 'Family' },
  { value: 8, label: 'Administrators' },
];
const privacy = z
  .string()
  .regex(/^\d$/, 'must be a privacy level')
  .transform(Number)
  .refine((n): n is PrivacyLevel => (PRIVACY_LEVELS as readonly number[]).includes(n), 'must be 0, 1, 2, 4 or 8');

const listQuery = z.strictObject({
  album: z.union([z.literal(''), z.literal('none'), formId]).optional(),
  q: z.string().max(200).optional(),
  privacy: z.union([z.literal(''), privacy]).optional(),
  page: z.string().regex(/^[1-9]\d{0,5}$/).transform(Number).optional(),
});
const editForm = z.strictObject({
  title: formOptionalText(1000),
  description: formOptionalText(20_000),
  tags: formText(5000).transform((s) => s.split(/[,;]/).map((t) => t.trim()).filter(Boolean)).pipe(z.array(z.string().max(255)).max(200)),
  privacyLevel: privacy,
});
const albumForm = z.strictObject({ albumId: formId });
const deleteForm = z.strictObject({ confirm: formCheckbox });
const bulkForm = z.strictObject({
  ids: formIds.pipe(z.array(z.number()).min(1, 'select at least one photo').max(1000)),
  action: z.enum(['link', 'unlink', 'privacy', 'delete']),
  albumId: formOptionalId.optional(),
  privacyLevel: z.union([z.literal(''), privacy]).optional(),
  confirm: formCheckbox,
  returnTo: z.string().max(500).optional(),
});

/**
 * `/admin/photos`: the library (filters, multi-select with bulk link/unlink/privacy/delete), the
 * upload zone (`upload.js`: tus resumable uploads with per-file progress, multipart fallback)
 * and one photo's page (title, description, tags, privacy, albums, delete). Edits go through
 * `PhotoEditService`, the same rules as `PATCH /api/v1/photos/:id`.
 */
@Controller('admin/photos')
@UseFilters(AdminErrorFilter)
@AdminPolicies.photos
export class AdminPhotosController {
  constructor(
    private readonly pages: AdminPageService,
    private readonly dataSource: DataSource,
    private readonly albums: AlbumService,
    private readonly edits: PhotoEditService,
  ) {}

  @Get()
  async list(@Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const q = parseForm(listQuery, query);
    const albumId = typeof q.album === 'number' ? q.album : null;
    const page = q.page ?? 1;
    const repo = new AdminPhotoRepository(this.dataSource.manager);
    const { items, total } = await repo.list({
      albumId,
      unsorted: q.album === 'none',
      q: q.q?.trim() || null,
      privacyLevel: typeof q.privacy === 'number' ? q.privacy : null,
      page,
    });
    const tree = await loadAlbumTree(this.dataSource.manager);
    const pages = Math.max(1, Math.ceil(total / PHOTOS_PER_PAGE));
    const link = (p: number) => {
      const params = new URLSearchParams();
      if (q.album !== undefined && q.album !== '') params.set('album', String(q.album));
      if (q.q) params.set('q', q.q);
      if (typeof q.privacy === 'number') params.set('privacy', String(q.privacy));
      if (p > 1) params.set('page', String(p));
      const s = params.toString();
      return `/admin/photos${s ? `?${s}` : ''}`;
    };
    const privacyLabel = new Map(PRIVACY_OPTIONS.map((o) => [o.value as number, o.label]));
    await this.pages.send(req, res, 'photos', 'Photos', {
      photos: items.map((p) => ({ ...p, privacyLabel: privacyLabel.get(p.privacyLevel) ?? String(p.privacyLevel) })),
      total,
      albums: albumOptions(tree),
      filter: { album: q.album ?? '', q: q.q ?? '', privacy: q.privacy ?? '' },
      privacyOptions: PRIVACY_OPTIONS,
      prevUrl: page > 1 ? link(page - 1) : null,
      nextUrl: page < pages ? link(page + 1) : null,
      page,
      pages,
      here: link(page),
      uploadAlbum: albumId,
    });
  }

  @Post('bulk')
  async bulk(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const form = parseForm(bulkForm, body);
    const back = form.returnTo && /^\/admin\/photos(\?[^\s]*)?$/.test(form.returnTo) ? form.returnTo : '/admin/photos';
    const ids = await new AdminPhotoRepository(this.dataSource.manager).existing(form.ids);
    if (ids.length === 0) throw Errors.notFound('photo', form.ids[0]);
    let message: string;
    switch (form.action) {
      case 'link':
      case 'unlink': {
        if (!form.albumId) throw Errors.invalid('admin.album_required', 'Choose an album.');
        const album = await this.albums.get(form.albumId);
        const changed = form.action === 'link' ? await this.albums.linkPhotos(album.id, ids) : await this.albums.unlinkPhotos(album.id, ids);
        message = `${changed.length} photo(s) ${form.action === 'link' ? 'added to' : 'removed from'} “${album.name}”.`;
        break;
      }
      case 'privacy': {
        if (form.privacyLevel === undefined || form.privacyLevel === '') throw Errors.invalid('admin.privacy_required', 'Choose who can see the photos.');
        const principal = this.pages.principal(req);
        const ability = await this.pages.ability(req);
        for (const id of ids) await this.edits.update(principal, ability, id, { privacyLevel: form.privacyLevel });
        message = `Privacy of ${ids.length} photo(s) changed.`;
        break;
      }
      case 'delete': {
        if (!form.confirm) throw Errors.invalid('admin.confirm_required', 'Tick the confirmation box to delete the selected photos.');
        const principal = this.pages.principal(req);
        const ability = await this.pages.ability(req);
        for (const id of ids) await this.edits.remove(principal, ability, id);
        message = `${ids.length} photo(s) deleted.`;
        break;
      }
    }
    this.pages.flash(req, 'success', message);
    await this.pages.redirect(res, back);
  }

  @Get(':id')
  async photo(@Param('id') rawId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'photo');
    const photo = await new AdminPhotoRepository(this.dataSource.manager).detail(id);
    if (!photo) throw Errors.notFound('photo', id);
    const tree = await loadAlbumTree(this.dataSource.manager);
    const linked = new Set(photo.albums.map((a) => a.id));
    await this.pages.send(req, res, 'photo', photo.label, {
      photo,
      tags: photo.tags.join(', '),
      privacyOptions: PRIVACY_OPTIONS.map((o) => ({ ...o, selected: o.value === photo.privacyLevel })),
      albums: albumOptions(tree).filter((a) => !linked.has(a.id)),
    });
  }

  @Post(':id')
  async update(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'photo');
    const form = parseForm(editForm, body);
    await this.edits.update(this.pages.principal(req), await this.pages.ability(req), id, form);
    this.pages.flash(req, 'success', 'Photo saved.');
    await this.pages.redirect(res, `/admin/photos/${id}`);
  }

  @Post(':id/albums')
  async link(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'photo');
    const { albumId } = parseForm(albumForm, body);
    if ((await new AdminPhotoRepository(this.dataSource.manager).existing([id])).length === 0) throw Errors.notFound('photo', id);
    await this.albums.linkPhotos(albumId, [id]);
    this.pages.flash(req, 'success', 'Photo added to the album.');
    await this.pages.redirect(res, `/admin/photos/${id}#albums`);
  }

  @Post(':id/albums/unlink')
  async unlink(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'photo');
    const { albumId } = parseForm(albumForm, body);
    await this.albums.unlinkPhotos(albumId, [id]);
    this.pages.flash(req, 'success', 'Photo removed from the album.');
    await this.pages.redirect(res, `/admin/photos/${id}#albums`);
  }

  @Post(':id/delete')
  async remove(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'photo');
    const { confirm } = parseForm(deleteForm, body);
    if (!confirm) throw Errors.invalid('admin.confirm_required', 'Tick the confirmation box to delete the photo.');
    await this.edits.remove(this.pages.principal(req), await this.pages.ability(req), id);
    this.pages.flash(req, 'success', 'Photo deleted.');
    await this.pages.redirect(res, '/admin/photos');
  }
}
