import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { GrantService } from '../access/grant.service.js';
import { AlbumService } from '../albums/album.service.js';
import { Errors } from '../common/errors.js';
import { parseId } from '../common/validation.js';
import { GroupService } from '../groups/group.service.js';
import { UserService } from '../users/user.service.js';
import { albumOptions, findNode, loadAlbumTree } from './admin-album.tree.js';
import { AdminErrorFilter } from './admin-error.filter.js';
import { formCheckbox, formId, formIds, formOptionalId, formOptionalText, formText, parseForm } from './admin-form.js';
import { AdminPageService } from './admin-page.service.js';
import { AdminPolicies } from './admin-policies.js';

const createForm = z.strictObject({
  name: formText(255).pipe(z.string().min(1, 'enter a name')),
  parentId: formOptionalId.optional(),
  status: z.enum(['public', 'private']).optional(),
});
const updateForm = z.strictObject({
  name: formText(255).pipe(z.string().min(1, 'enter a name')),
  description: formOptionalText(20_000).optional(),
  status: z.enum(['public', 'private']),
  visible: formCheckbox,
});
const moveForm = z.strictObject({ parentId: formOptionalId });
const shiftForm = z.strictObject({ direction: z.enum(['up', 'down']) });
const orderForm = z.strictObject({ parentId: formOptionalId, ids: formIds });
const grantForm = z.strictObject({ userId: formOptionalId.optional(), groupId: formOptionalId.optional() });
const revokeForm = z.strictObject({ userId: formId.optional(), groupId: formId.optional() });
const representativeForm = z.strictObject({ photoId: formOptionalId });
const deleteForm = z.strictObject({ photos: z.enum(['keep', 'delete']), confirm: formCheckbox });

/**
 * `/admin/albums`: the tree (create, reorder by drag and drop or with the up/down buttons) and
 * one album's page (rename, describe, status, move, grants, representative photo, delete).
 * Every write is a plain form POST answered by a redirect (303) with a message, so it works
 * without JavaScript; `admin.js` adds drag and drop on top (posting the same order form).
 */
@Controller('admin/albums')
@UseFilters(AdminErrorFilter)
@AdminPolicies.albums
export class AdminAlbumsController {
  constructor(
    private readonly pages: AdminPageService,
    private readonly dataSource: DataSource,
    private readonly albums: AlbumService,
    private readonly grants: GrantService,
    private readonly users: UserService,
    private readonly groups: GroupService,
  ) {}

  @Get()
  async tree(@Req() req: Request, @Res() res: Response): Promise<void> {
    const tree = await loadAlbumTree(this.dataSource.manager);
    await this.pages.send(req, res, 'albums', 'Albums', { tree, parents: albumOptions(tree) });
  }

  @Post()
  async create(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const form = parseForm(createForm, body);
    const album = await this.albums.create({ name: form.name, parentId: form.parentId ?? null, status: form.status });
    this.pages.flash(req, 'success', `Album “${album.name}” created.`);
    await this.pages.redirect(res, '/admin/albums');
  }

  /** Sibling order from drag and drop: `parentId` ('' for the top level) and every sibling id in the new order. */
  @Post('order')
  async order(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const form = parseForm(orderForm, body);
    await this.albums.reorder(form.parentId, form.ids);
    if ((req.get('accept') ?? '').includes('application/json')) {
      res.status(200).json({ ok: true });
      return;
    }
    this.pages.flash(req, 'success', 'Order saved.');
    await this.pages.redirect(res, '/admin/albums');
  }

  @Get(':id')
  async album(@Param('id') rawId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'album');
    const album = await this.albums.get(id);
    const tree = await loadAlbumTree(this.dataSource.manager);
    const node = findNode(tree, id);
    const [ancestors, granted, users, groups, photos] = await Promise.all([
      this.albums.ancestors(id),
      this.grants.list(id),
      this.users.list({ limit: 1000 }),
      this.groups.list(),
      this.albumPhotos(id),
    ]);
    const userById = new Map(users.map((u) => [u.id, u]));
    const groupById = new Map(groups.map((g) => [g.id, g]));
    await this.pages.send(req, res, 'album', album.name, {
      album,
      breadcrumbs: ancestors.filter((a) => a.id !== id),
      children: node?.children ?? [],
      parents: albumOptions(tree, id),
      grantedUsers: granted.userIds.map((uid) => ({ id: uid, name: userById.get(uid)?.username ?? `#${uid}` })),
      grantedGroups: granted.groupIds.map((gid) => ({ id: gid, name: groupById.get(gid)?.name ?? `#${gid}` })),
      users: users.filter((u) => !granted.userIds.includes(u.id) && u.role !== 'webmaster' && u.role !== 'admin'),
      groups: groups.filter((g) => !granted.groupIds.includes(g.id)),
      photos: photos.map((p) => ({ ...p, representative: p.id === album.representativePhotoId })),
      isPrivate: album.status === 'private',
    });
  }

  @Post(':id')
  async update(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'album');
    const form = parseForm(updateForm, body);
    await this.albums.update(id, { name: form.name, description: form.description ?? null, status: form.status, visible: form.visible });
    this.pages.flash(req, 'success', 'Album saved.');
    await this.pages.redirect(res, `/admin/albums/${id}`);
  }

  @Post(':id/move')
  async move(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'album');
    const { parentId } = parseForm(moveForm, body);
    await this.albums.move(id, parentId);
    this.pages.flash(req, 'success', 'Album moved.');
    await this.pages.redirect(res, `/admin/albums/${id}`);
  }

  /** The keyboard (and no-JavaScript) alternative to dragging: one step up or down among siblings. */
  @Post(':id/shift')
  async shift(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'album');
    const { direction } = parseForm(shiftForm, body);
    const album = await this.albums.get(id);
    const siblings = (await this.albums.children(album.parentId)).map((a) => a.id);
    const at = siblings.indexOf(id);
    const to = direction === 'up' ? at - 1 : at + 1;
    if (at >= 0 && to >= 0 && to < siblings.length) {
      [siblings[at], siblings[to]] = [siblings[to]!, siblings[at]!];
      await this.albums.reorder(album.parentId, siblings);
      this.pages.flash(req, 'success', `“${album.name}” moved ${direction}.`);
    }
    await this.pages.redirect(res, `/admin/albums#album-${id}`);
  }

  @Post(':id/grants')
  async grant(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'album');
    const form = parseForm(grantForm, body);
    if (!form.userId && !form.groupId) throw Errors.invalid('admin.grant_empty', 'Choose a user or a group to grant access to.');
    await this.albums.get(id);
    await this.grants.grant(id, { userIds: form.userId ? [form.userId] : [], groupIds: form.groupId ? [form.groupId] : [] });
    this.pages.flash(req, 'success', 'Access granted.');
    await this.pages.redirect(res, `/admin/albums/${id}#access`);
  }

  @Post(':id/grants/revoke')
  async revoke(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'album');
    const form = parseForm(revokeForm, body);
    await this.grants.revoke(id, { userIds: form.userId ? [form.userId] : [], groupIds: form.groupId ? [form.groupId] : [] });
    this.pages.flash(req, 'success', 'Access removed.');
    await this.pages.redirect(res, `/admin/albums/${id}#access`);
  }

  @Post(':id/representative')
  async representative(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'album');
    const { photoId } = parseForm(representativeForm, body);
    await this.albums.setRepresentative(id, photoId);
    this.pages.flash(req, 'success', photoId ? 'Representative photo set.' : 'Representative photo cleared.');
    await this.pages.redirect(res, `/admin/albums/${id}#cover`);
  }

  @Post(':id/delete')
  async remove(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'album');
    const form = parseForm(deleteForm, body);
    if (!form.confirm) throw Errors.invalid('admin.confirm_required', 'Tick the confirmation box to delete the album.');
    const album = await this.albums.get(id);
    const result = await this.albums.delete(id, form.photos);
    this.pages.flash(req, 'success', `Deleted “${album.name}” and ${result.deletedAlbumIds.length - 1} sub-album(s); ${result.deletedPhotoIds.length} photo(s) removed.`);
    await this.pages.redirect(res, '/admin/albums');
  }

  private async albumPhotos(albumId: number): Promise<{ id: number; label: string }[]> {
    const rows: { id: number; label: string }[] = await this.dataSource.query(
      `SELECT p.id, coalesce(p.title, p.original_name) AS label FROM album_photos ap JOIN photos p ON p.id = ap.photo_id
       WHERE ap.album_id = $1 ORDER BY ap.rank, p.id LIMIT 60`,
      [albumId],
    );
    return rows;
  }
}
