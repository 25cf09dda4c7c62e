import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CheckPolicies } from '../../access/policies.decorator.js';
import { idList, parseId, parseInput } from '../../common/validation.js';
import { GroupService } from '../../groups/group.service.js';
import { ApiCacheInterceptor } from '../api-cache.interceptor.js';
import { ApiDoc } from '../api-schema.decorator.js';
import { groupView, groupViewSchema, userView, userViewSchema, type GroupView, type UserView } from './user.view.js';

const createBody = z.strictObject({ name: z.string().min(1).max(100), description: z.string().max(2000).nullable().optional(), isDefault: z.boolean().optional() });
const updateBody = z.strictObject({ name: z.string().min(1).max(100).optional(), description: z.string().max(2000).nullable().optional(), isDefault: z.boolean().optional() });
const membersBody = z.strictObject({ userIds: idList.min(1).max(1000) });
const canManage = CheckPolicies((a) => a.can('manage', 'Group'));

/** Groups and memberships (administrators only): `/api/v1/groups`. Album grants are under `/albums/:id/grants`. */
@ApiTags('groups')
@UseInterceptors(ApiCacheInterceptor)
@Controller('api/v1/groups')
export class GroupController {
  constructor(private readonly groups: GroupService) {}

  @Get()
  @canManage
  @ApiDoc({ summary: 'List groups', response: z.array(groupViewSchema) })
  async list(): Promise<GroupView[]> {
    return (await this.groups.list()).map(groupView);
  }

  @Get(':id')
  @canManage
  @ApiDoc({ summary: 'One group', response: groupViewSchema })
  async get(@Param('id') id: string): Promise<GroupView> {
    return groupView(await this.groups.get(parseId(id, 'group')));
  }

  @Post()
  @canManage
  @ApiDoc({ summary: 'Create a group', body: createBody, response: groupViewSchema })
  async create(@Body() body: unknown): Promise<GroupView> {
    return groupView(await this.groups.create(parseInput(createBody, body)));
  }

  @Patch(':id')
  @canManage
  @ApiDoc({ summary: 'Rename, describe, or make a group default', body: updateBody, response: groupViewSchema })
  async update(@Param('id') id: string, @Body() body: unknown): Promise<GroupView> {
    return groupView(await this.groups.update(parseId(id, 'group'), parseInput(updateBody, body)));
  }

  @Delete(':id')
  @HttpCode(204)
  @canManage
  @ApiDoc({ summary: 'Delete a group (its grants go with it)' })
  async remove(@Param('id') id: string): Promise<void> {
    await this.groups.delete(parseId(id, 'group'));
  }

  @Get(':id/members')
  @canManage
  @ApiDoc({ summary: 'Members of a group', response: z.array(userViewSchema) })
  async members(@Param('id') id: string): Promise<UserView[]> {
    return (await this.groups.members(parseId(id, 'group'))).map(userView);
  }

  @Post(':id/members')
  @canManage
  @ApiDoc({ summary: 'Add users to a group', body: membersBody, response: z.array(userViewSchema) })
  async addMembers(@Param('id') id: string, @Body() body: unknown): Promise<UserView[]> {
    const groupId = parseId(id, 'group');
    await this.groups.addMembers(groupId, parseInput(membersBody, body).userIds);
    return (await this.groups.members(groupId)).map(userView);
  }

  @Delete(':id/members/:userId')
  @canManage
  @ApiDoc({ summary: 'Remove a user from a group', response: z.array(userViewSchema) })
  async removeMember(@Param('id') id: string, @Param('userId') userId: string): Promise<UserView[]> {
    const groupId = parseId(id, 'group');
    await this.groups.removeMembers(groupId, [parseId(userId, 'user')]);
    return (await this.groups.members(groupId)).map(userView);
  }
}
