import { ApiTags } from '@nestjs/swagger';
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { idList, parseId, parseInput } from '../common/validation.js';
import { ApiDoc } from '../api/api-schema.decorator.js';
import { type AlbumGrants, GrantService } from './grant.service.js';
import { CheckPolicies } from './policies.decorator.js';

const grantBody = z.strictObject({ userIds: idList.optional(), groupIds: idList.optional() });
const albumGrants = z.object({ userIds: z.array(z.number().int()), groupIds: z.array(z.number().int()) });
const canGrant = CheckPolicies((ability) => ability.can('grant', 'Album'));

/** Grants of an album to users and groups: `/api/v1/albums/:id/grants`. */
@ApiTags('grants')
@Controller('api/v1/albums/:albumId/grants')
export class GrantController {
  constructor(private readonly grants: GrantService) {}

  @Get()
  @canGrant
  @ApiDoc({ summary: 'Users and groups the album is granted to', response: albumGrants })
  list(@Param('albumId') albumId: string): Promise<AlbumGrants> {
    return this.grants.list(parseId(albumId, 'album'));
  }

  /** Adds grants (existing ones are kept). */
  @Post()
  @HttpCode(200)
  @canGrant
  @ApiDoc({ summary: 'Grant the album to users and groups (existing grants are kept)', body: grantBody, response: albumGrants })
  grant(@Param('albumId') albumId: string, @Body() body: unknown): Promise<AlbumGrants> {
    return this.grants.grant(parseId(albumId, 'album'), parseInput(grantBody, body));
  }

  @Delete('users/:userId')
  @canGrant
  @ApiDoc({ summary: 'Revoke the grant of a user', response: albumGrants })
  revokeUser(@Param('albumId') albumId: string, @Param('userId') userId: string): Promise<AlbumGrants> {
    return this.grants.revoke(parseId(albumId, 'album'), { userIds: [parseId(userId, 'user')] });
  }

  @Delete('groups/:groupId')
  @canGrant
  @ApiDoc({ summary: 'Revoke the grant of a group', response: albumGrants })
  revokeGroup(@Param('albumId') albumId: string, @Param('groupId') groupId: string): Promise<AlbumGrants> {
    return this.grants.revoke(parseId(albumId, 'album'), { groupIds: [parseId(groupId, 'group')] });
  }
}
