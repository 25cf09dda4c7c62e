import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Errors } from '../common/errors.js';
import { parseId } from '../common/validation.js';
import { GroupService } from '../groups/group.service.js';
import { UserService } from '../users/user.service.js';
import { AdminErrorFilter } from './admin-error.filter.js';
import { formCheckbox, formId, formOptionalText, formText, parseForm } from './admin-form.js';
import { AdminPageService } from './admin-page.service.js';
import { AdminPolicies } from './admin-policies.js';

const groupForm = z.strictObject({
  name: formText(100).pipe(z.string().min(1, 'enter a name')),
  description: formOptionalText(2000).optional(),
  isDefault: formCheckbox,
});
const memberForm = z.strictObject({ userId: formId });
const deleteForm = z.strictObject({ confirm: formCheckbox });

/** `/admin/groups`: list with member counts, create; one group's page (rename, default flag, members, granted albums, delete). */
@Controller('admin/groups')
@UseFilters(AdminErrorFilter)
@AdminPolicies.groups
export class AdminGroupsController {
  constructor(
    private readonly pages: AdminPageService,
    private readonly groups: GroupService,
    private readonly users: UserService,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const groups = await this.groups.list();
    const counts: { group_id: number; n: string }[] = await this.dataSource.query(`SELECT group_id, count(*) AS n FROM group_members GROUP BY group_id`);
    const count = new Map(counts.map((c) => [c.group_id, Number(c.n)]));
    await this.pages.send(req, res, 'groups', 'Groups', { groups: groups.map((g) => ({ ...g, members: count.get(g.id) ?? 0 })) });
  }

  @Post()
  async create(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const form = parseForm(groupForm, body);
    const group = await this.groups.create({ name: form.name, description: form.description ?? null, isDefault: form.isDefault });
    this.pages.flash(req, 'success', `Group “${group.name}” created.`);
    await this.pages.redirect(res, `/admin/groups/${group.id}`);
  }

  @Get(':id')
  async group(@Param('id') rawId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const group = await this.groups.get(parseId(rawId, 'group'));
    const [members, users, albums] = await Promise.all([
      this.groups.members(group.id),
      this.users.list({ limit: 1000 }),
      this.dataSource.query(`SELECT a.id, a.name FROM album_group_grants g JOIN albums a ON a.id = g.album_id WHERE g.group_id = $1 ORDER BY a.name`, [group.id]) as Promise<{ id: number; name: string }[]>,
    ]);
    await this.pages.send(req, res, 'group', group.name, {
      group,
      members,
      candidates: users.filter((u) => !members.some((m) => m.id === u.id)),
      albums,
    });
  }

  @Post(':id')
  async update(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'group');
    const form = parseForm(groupForm, body);
    await this.groups.update(id, { name: form.name, description: form.description ?? null, isDefault: form.isDefault });
    this.pages.flash(req, 'success', 'Group saved.');
    await this.pages.redirect(res, `/admin/groups/${id}`);
  }

  @Post(':id/members')
  async add(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'group');
    const { userId } = parseForm(memberForm, body);
    await this.groups.get(id);
    await this.groups.addMembers(id, [userId]);
    this.pages.flash(req, 'success', 'Member added.');
    await this.pages.redirect(res, `/admin/groups/${id}#members`);
  }

  @Post(':id/members/remove')
  async removeMember(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'group');
    const { userId } = parseForm(memberForm, body);
    await this.groups.removeMembers(id, [userId]);
    this.pages.flash(req, 'success', 'Member removed.');
    await this.pages.redirect(res, `/admin/groups/${id}#members`);
  }

  @Post(':id/delete')
  async remove(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'group');
    if (!parseForm(deleteForm, body).confirm) throw Errors.invalid('admin.confirm_required', 'Tick the confirmation box to delete the group.');
    const group = await this.groups.get(id);
    await this.groups.delete(id);
    this.pages.flash(req, 'success', `Group “${group.name}” deleted; its grants are gone.`);
    await this.pages.redirect(res, '/admin/groups');
  }
}
