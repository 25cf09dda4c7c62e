import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CheckPolicies } from '../../access/policies.decorator.js';
import { parseId, parseInput } from '../../common/validation.js';
import { GroupService } from '../../groups/group.service.js';
import { MAX_PASSWORD_LENGTH } from '../../users/password.hasher.js';
import { PRIVACY_LEVELS, ROLES, type PrivacyLevel } from '../../users/user.entity.js';
import { UserService } from '../../users/user.service.js';
import { ApiCacheInterceptor } from '../api-cache.interceptor.js';
import { DEFAULT_PAGE_SIZE, queryLimit } from '../api-input.js';
import { ApiDoc } from '../api-schema.decorator.js';
import { groupView, groupViewSchema, userView, userViewSchema, type GroupView, type UserView } from './user.view.js';

const privacyLevel = z.union(PRIVACY_LEVELS.map((l) => z.literal(l)) as [z.ZodLiteral<PrivacyLevel>, ...z.ZodLiteral<PrivacyLevel>[]]);
const createBody = z.strictObject({
  username: z.string().min(1).max(100),
  email: z.string().max(254).nullable().optional(),
  displayName: z.string().max(200).nullable().optional(),
  password: z.string().max(MAX_PASSWORD_LENGTH).optional(),
  role: z.enum(ROLES).optional(),
  privacyLevel: privacyLevel.optional(),
});
const updateBody = z.strictObject({
  username: z.string().min(1).max(100).optional(),
  email: z.string().max(254).nullable().optional(),
  displayName: z.string().max(200).nullable().optional(),
  role: z.enum(ROLES).optional(),
  privacyLevel: privacyLevel.optional(),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).max(35).nullable().optional(),
  disabled: z.boolean().optional(),
});
const passwordBody = z.strictObject({ password: z.string().max(MAX_PASSWORD_LENGTH) });
const listQuery = z.strictObject({
  limit: queryLimit.optional(),
  offset: z.string().regex(/^\d{1,7}$/).transform(Number).optional(),
});
const canManage = CheckPolicies((a) => a.can('manage', 'User'));

/** User accounts (administrators only): `/api/v1/users`. Passwords are set through `POST /users/:id/password`. */
@ApiTags('users')
@UseInterceptors(ApiCacheInterceptor)
@Controller('api/v1/users')
export class UserController {
  constructor(
    private readonly users: UserService,
    private readonly groups: GroupService,
  ) {}

  @Get()
  @canManage
  @ApiDoc({ summary: 'List users (offset pages, by id)', query: listQuery, response: z.object({ items: z.array(userViewSchema), total: z.number().int() }) })
  async list(@Query() query: unknown): Promise<{ items: UserView[]; total: number }> {
    const { limit = DEFAULT_PAGE_SIZE, offset = 0 } = parseInput(listQuery, query, 'query string');
    return { items: (await this.users.list({ limit, offset })).map(userView), total: await this.users.count() };
  }

  @Get(':id')
  @canManage
  @ApiDoc({ summary: 'One user', response: userViewSchema })
  async get(@Param('id') id: string): Promise<UserView> {
    return userView(await this.users.get(parseId(id, 'user')));
  }

  @Post()
  @canManage
  @ApiDoc({ summary: 'Create a user (joins the default groups)', body: createBody, response: userViewSchema })
  async create(@Body() body: unknown): Promise<UserView> {
    return userView(await this.users.create(parseInput(createBody, body)));
  }

  @Patch(':id')
  @canManage
  @ApiDoc({ summary: 'Change profile, role, privacy level, or disable/enable the account', body: updateBody, response: userViewSchema })
  async update(@Param('id') id: string, @Body() body: unknown): Promise<UserView> {
    const userId = parseId(id, 'user');
    const { disabled, ...changes } = parseInput(updateBody, body);
    let user = await this.users.update(userId, changes);
    if (disabled !== undefined) user = await this.users.setDisabled(userId, disabled);
    return userView(user);
  }

  @Post(':id/password')
  @HttpCode(204)
  @canManage
  @ApiDoc({ summary: "Set a user's password (ends the user's sessions)", body: passwordBody })
  async setPassword(@Param('id') id: string, @Body() body: unknown): Promise<void> {
    await this.users.setPassword(parseId(id, 'user'), parseInput(passwordBody, body).password);
  }

  @Delete(':id')
  @HttpCode(204)
  @canManage
  @ApiDoc({ summary: 'Delete a user (never the last webmaster)' })
  async remove(@Param('id') id: string): Promise<void> {
    await this.users.delete(parseId(id, 'user'));
  }

  @Get(':id/groups')
  @canManage
  @ApiDoc({ summary: 'Groups of a user', response: z.array(groupViewSchema) })
  async groupsOf(@Param('id') id: string): Promise<GroupView[]> {
    const user = await this.users.get(parseId(id, 'user'));
    return (await this.groups.groupsOf(user.id)).map(groupView);
  }
}
