import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { idList, parseId, parseInput } from '../common/validation.js';
import { type AlbumGrants, GrantService } from './grant.service.js';
import { CheckPolicies } from './policies.decorator.js';

const grantBody = z.strictObject({ userIds: idList.optional(), groupIds: idList.optional() });
const canGrant = CheckPolicies((ability) => ability.can('grant', 'Album'));

/** Grants of an album to users and groups: `/api/v1/albums/:id/grants`. */
@Controller('api/v1/albums/:albumId/grants')
export class GrantController {
  constructor(private readonly grants: GrantService) {}

  @Get()
  @canGrant
  list(@Param('albumId') albumId: string): Promise<AlbumGrants> {
    return this.grants.list(parseId(albumId, 'album'));
  }

  /** Adds grants (existing ones are kept). */
  @Post()
  @HttpCode(200)
  @canGrant
  grant(@Param('albumId') albumId: string, @Body() body: unknown): Promise<AlbumGrants> {
    return this.grants.grant(parseId(albumId, 'album'), parseInput(grantBody, body));
  }

  @Delete('users/:userId')
  @canGrant
  revokeUser(@Param('albumId') albumId: string, @Param('userId') userId: string): Promise<AlbumGrants> {
    return this.grants.revoke(parseId(albumId, 'album'), { userIds: [parseId(userId, 'user')] });
  }

  @Delete('groups/:groupId')
  @canGrant
  revokeGroup(@Param('albumId') albumId: string, @Param('groupId') groupId: string): Promise<AlbumGrants> {
    return this.grants.revoke(parseId(albumId, 'album'), { groupIds: [parseId(groupId, 'group')] });
  }
}
