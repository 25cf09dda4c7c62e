import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Principal } from '../access/principal.js';
import { Errors } from '../common/errors.js';
import { parseId } from '../common/validation.js';
import { GroupService } from '../groups/group.service.js';
import { ROLES, type Role, type User } from '../users/user.entity.js';
import { UserService } from '../users/user.service.js';
import { AdminErrorFilter } from './admin-error.filter.js';
import { formCheckbox, formId, formOptionalText, formText, parseForm } from './admin-form.js';
import { AdminPageService } from './admin-page.service.js';
import { PRIVACY_OPTIONS } from './admin-photos.controller.js';
import { AdminPolicies } from './admin-policies.js';

const role = z.enum(ROLES);
const privacy = z.enum(['0', '1', '2', '4', '8']).transform((v) => Number(v) as 0 | 1 | 2 | 4 | 8);
const createForm = z.strictObject({
  username: formText(100).pipe(z.string().min(1, 'enter a user name')),
  email: formOptionalText(254),
  role,
  privacyLevel: privacy,
  password: z.string().max(1024),
});
const updateForm = z.strictObject({
  email: formOptionalText(254),
  displayName: formOptionalText(200),
  role,
  privacyLevel: privacy,
});
const passwordForm = z.strictObject({ password: z.string().min(1, 'enter a password').max(1024) });
const disableForm = z.strictObject({ disabled: z.enum(['true', 'false']) });
const groupForm = z.strictObject({ groupId: formId });
const deleteForm = z.strictObject({ confirm: formCheckbox });

const ROLE_HELP: Record<Role, string> = {
  webmaster: 'Everything, including other administrators',
  admin: 'Everything except webmaster accounts',
  editor: 'Albums, photos and share links',
  contributor: 'Uploads into granted albums',
  member: 'Sees granted private albums',
  guest: 'Sees public content only',
};

/**
 * `/admin/users`: list, create (with a password or none), and one account's page (profile, role,
 * privacy level, password, enable/disable, group memberships, delete). Only a webmaster may give
 * or change the webmaster role; nobody disables or deletes their own account here.
 */
@Controller('admin/users')
@UseFilters(AdminErrorFilter)
@AdminPolicies.users
export class AdminUsersController {
  constructor(
    private readonly pages: AdminPageService,
    private readonly users: UserService,
    private readonly groups: GroupService,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const users = await this.users.list({ limit: 1000 });
    await this.pages.send(req, res, 'users', 'Users', {
      users: users.map(view),
      roles: assignableRoles(this.pages.principal(req)).map((r) => ({ value: r, help: ROLE_HELP[r], selected: r === 'member' })),
      privacyOptions: PRIVACY_OPTIONS,
    });
  }

  @Post()
  async create(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const form = parseForm(createForm, body);
    assertMayAssign(this.pages.principal(req), form.role);
    const user = await this.users.create({ username: form.username, email: form.email, role: form.role, privacyLevel: form.privacyLevel, password: form.password === '' ? undefined : form.password });
    this.pages.flash(req, 'success', `Account “${user.username}” created${form.password === '' ? ' without a password (set one before they can log in)' : ''}.`);
    await this.pages.redirect(res, `/admin/users/${user.id}`);
  }

  @Get(':id')
  async user(@Param('id') rawId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = await this.users.get(parseId(rawId, 'user'));
    const [memberOf, all] = await Promise.all([this.groups.groupsOf(user.id), this.groups.list()]);
    const principal = this.pages.principal(req);
    const self = principal.kind === 'user' && principal.userId === user.id;
    await this.pages.send(req, res, 'user', user.username, {
      account: view(user),
      self,
      roles: assignableRoles(principal, user.role).map((r) => ({ value: r, help: ROLE_HELP[r], selected: r === user.role })),
      privacyOptions: PRIVACY_OPTIONS.map((o) => ({ ...o, selected: o.value === user.privacyLevel })),
      memberOf,
      otherGroups: all.filter((g) => !memberOf.some((m) => m.id === g.id)),
    });
  }

  @Post(':id')
  async update(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'user');
    const form = parseForm(updateForm, body);
    const user = await this.users.get(id);
    const principal = this.pages.principal(req);
    if (form.role !== user.role || user.role === 'webmaster') assertMayAssign(principal, form.role, user.role);
    await this.users.update(id, form);
    this.pages.flash(req, 'success', 'Account saved.');
    await this.pages.redirect(res, `/admin/users/${id}`);
  }

  @Post(':id/password')
  async password(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'user');
    const { password } = parseForm(passwordForm, body);
    const user = await this.users.get(id);
    assertMayAssign(this.pages.principal(req), user.role, user.role);
    await this.users.setPassword(id, password);
    this.pages.flash(req, 'success', 'Password changed; the account’s sessions were ended.');
    await this.pages.redirect(res, `/admin/users/${id}`);
  }

  @Post(':id/status')
  async status(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'user');
    const disabled = parseForm(disableForm, body).disabled === 'true';
    const user = await this.users.get(id);
    assertNotSelf(this.pages.principal(req), id);
    assertMayAssign(this.pages.principal(req), user.role, user.role);
    await this.users.setDisabled(id, disabled);
    this.pages.flash(req, 'success', disabled ? 'Account disabled; its sessions were ended.' : 'Account enabled.');
    await this.pages.redirect(res, `/admin/users/${id}`);
  }

  @Post(':id/groups')
  async join(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'user');
    const { groupId } = parseForm(groupForm, body);
    await this.groups.addMembers(groupId, [id]);
    this.pages.flash(req, 'success', 'Added to the group.');
    await this.pages.redirect(res, `/admin/users/${id}#groups`);
  }

  @Post(':id/groups/leave')
  async leave(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'user');
    const { groupId } = parseForm(groupForm, body);
    await this.groups.removeMembers(groupId, [id]);
    this.pages.flash(req, 'success', 'Removed from the group.');
    await this.pages.redirect(res, `/admin/users/${id}#groups`);
  }

  @Post(':id/delete')
  async remove(@Param('id') rawId: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = parseId(rawId, 'user');
    if (!parseForm(deleteForm, body).confirm) throw Errors.invalid('admin.confirm_required', 'Tick the confirmation box to delete the account.');
    const user = await this.users.get(id);
    assertNotSelf(this.pages.principal(req), id);
    assertMayAssign(this.pages.principal(req), user.role, user.role);
    await this.users.delete(id);
    this.pages.flash(req, 'success', `Account “${user.username}” deleted.`);
    await this.pages.redirect(res, '/admin/users');
  }
}

function view(u: User) {
  return { id: u.id, username: u.username, email: u.email, displayName: u.displayName, role: u.role, privacyLevel: u.privacyLevel, disabled: u.status === 'disabled', lastLoginAt: u.lastLoginAt, createdAt: u.createdAt };
}

function isWebmaster(p: Principal): boolean {
  return p.kind === 'user' && p.role === 'webmaster';
}

/** Roles this principal may give (webmaster only by a webmaster); `current` is kept in the list. */
function assignableRoles(p: Principal, current?: Role): Role[] {
  return ROLES.filter((r) => r !== 'webmaster' || isWebmaster(p) || current === 'webmaster');
}

/** Only a webmaster gives the webmaster role or changes a webmaster's account. */
function assertMayAssign(p: Principal, role: Role, current?: Role): void {
  if ((role === 'webmaster' || current === 'webmaster') && !isWebmaster(p)) {
    throw Errors.forbidden('admin.webmaster_only', 'Only a webmaster can give the webmaster role or change a webmaster’s account.');
  }
}

function assertNotSelf(p: Principal, id: number): void {
  if (p.kind === 'user' && p.userId === id) throw Errors.invalid('admin.self', 'You cannot disable or delete your own account.');
}
