import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { CheckPolicies, Public } from '../../access/policies.decorator.js';
import { AlbumService, type DeleteAlbumResult } from '../../albums/album.service.js';
import { idList, parseId, parseInput } from '../../common/validation.js';
import { ApiAnswerCache } from '../api-answer.cache.js';
import { ApiCacheInterceptor } from '../api-cache.interceptor.js';
import { queryId } from '../api-input.js';
import { principalOf } from '../api-request.js';
import { ApiDoc } from '../api-schema.decorator.js';
import { AlbumReadService } from './album-read.service.js';
import { albumDetailViewSchema, albumViewSchema, type AlbumDetailView, type AlbumView } from './album.view.js';

const slug = z.string().min(1).max(120);
const createBody = z.strictObject({
  name: z.string().min(1).max(255),
  parentId: z.number().int().positive().nullable().optional(),
  description: z.string().max(20_000).nullable().optional(),
  slug: slug.optional(),
  status: z.enum(['public', 'private']).optional(),
  visible: z.boolean().optional(),
  position: z.number().int().min(0).max(1_000_000).optional(),
});
const updateBody = z.strictObject({
  name: z.string().min(1).max(255).optional(),
  description: z.string().max(20_000).nullable().optional(),
  slug: slug.optional(),
  status: z.enum(['public', 'private']).optional(),
  visible: z.boolean().optional(),
});
const moveBody = z.strictObject({ parentId: z.number().int().positive().nullable(), position: z.number().int().min(0).max(1_000_000).optional() });
const orderBody = z.strictObject({ ids: idList.min(1) });
const representativeBody = z.strictObject({ photoId: z.number().int().positive().nullable() });
const listQuery = z.strictObject({ parentId: queryId.optional() });
const deleteQuery = z.strictObject({ photos: z.enum(['delete', 'keep']).optional() });

const ids = z.array(z.number().int());
const deleteResult = z.object({ deletedAlbumIds: ids, deletedPhotoIds: ids, orphanedPhotoIds: ids });

const canCreate = CheckPolicies((a) => a.can('create', 'Album'));
const canUpdate = CheckPolicies((a) => a.can('update', 'Album'));
const canDelete = CheckPolicies((a) => a.can('delete', 'Album'));

/**
 * The album tree: `/api/v1/albums`. Reads are public at the policy level and filtered by the
 * visibility scope (a hidden album answers exactly like a missing one); writes need album rights.
 */
@ApiTags('albums')
@UseInterceptors(ApiCacheInterceptor)
@Controller('api/v1/albums')
export class AlbumController {
  constructor(
    private readonly albums: AlbumService,
    private readonly reads: AlbumReadService,
    private readonly answers: ApiAnswerCache,
  ) {}

  @Get()
  @Public()
  @ApiDoc({ summary: 'Visible sub-albums of parentId (top level without it), in order', query: listQuery, response: z.array(albumViewSchema) })
  async list(@Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { parentId } = parseInput(listQuery, query, 'query string');
    await this.answers.send(req, res, principalOf(req), (scope): Promise<AlbumView[]> => this.reads.childrenIn(scope, parentId ?? null));
  }

  @Get(':id')
  @Public()
  @ApiDoc({ summary: 'One album with visible breadcrumbs, visible counts and representative photo', response: albumDetailViewSchema })
  get(@Param('id') id: string, @Req() req: Request): Promise<AlbumDetailView> {
    return this.reads.detail(principalOf(req), parseId(id, 'album'));
  }

  @Post()
  @canCreate
  @ApiDoc({ summary: 'Create an album', body: createBody, response: albumDetailViewSchema })
  async create(@Body() body: unknown, @Req() req: Request): Promise<AlbumDetailView> {
    const album = await this.albums.create(parseInput(createBody, body));
    return this.reads.detail(principalOf(req), album.id);
  }

  @Patch(':id')
  @canUpdate
  @ApiDoc({ summary: 'Change name, description, slug, status or visibility', body: updateBody, response: albumDetailViewSchema })
  async update(@Param('id') id: string, @Body() body: unknown, @Req() req: Request): Promise<AlbumDetailView> {
    const album = await this.albums.update(parseId(id, 'album'), parseInput(updateBody, body));
    return this.reads.detail(principalOf(req), album.id);
  }

  @Post(':id/move')
  @HttpCode(200)
  @canUpdate
  @ApiDoc({ summary: 'Move an album (with its subtree) under parentId (null: top level)', body: moveBody, response: albumDetailViewSchema })
  async move(@Param('id') id: string, @Body() body: unknown, @Req() req: Request): Promise<AlbumDetailView> {
    const { parentId, position } = parseInput(moveBody, body);
    const album = await this.albums.move(parseId(id, 'album'), parentId, position);
    return this.reads.detail(principalOf(req), album.id);
  }

  @Put('order')
  @canUpdate
  @ApiDoc({ summary: 'Order the top-level albums (ids: every top-level album exactly once)', body: orderBody, response: z.array(albumViewSchema) })
  async reorderTop(@Body() body: unknown, @Req() req: Request): Promise<AlbumView[]> {
    await this.albums.reorder(null, parseInput(orderBody, body).ids);
    return this.reads.children(principalOf(req), null);
  }

  @Put(':id/order')
  @canUpdate
  @ApiDoc({ summary: 'Order the sub-albums of an album (ids: each child exactly once)', body: orderBody, response: z.array(albumViewSchema) })
  async reorder(@Param('id') id: string, @Body() body: unknown, @Req() req: Request): Promise<AlbumView[]> {
    const parentId = parseId(id, 'album');
    await this.albums.reorder(parentId, parseInput(orderBody, body).ids);
    return this.reads.children(principalOf(req), parentId);
  }

  @Put(':id/representative')
  @canUpdate
  @ApiDoc({ summary: 'Set (or clear with null) the photo representing the album', body: representativeBody, response: albumDetailViewSchema })
  async representative(@Param('id') id: string, @Body() body: unknown, @Req() req: Request): Promise<AlbumDetailView> {
    const album = await this.albums.setRepresentative(parseId(id, 'album'), parseInput(representativeBody, body).photoId);
    return this.reads.detail(principalOf(req), album.id);
  }

  @Delete(':id')
  @canDelete
  @ApiDoc({ summary: 'Delete an album and its sub-albums; photos only there are deleted or kept', query: deleteQuery, response: deleteResult })
  remove(@Param('id') id: string, @Query() query: unknown): Promise<DeleteAlbumResult> {
    const { photos } = parseInput(deleteQuery, query, 'query string');
    return this.albums.delete(parseId(id, 'album'), photos ?? 'keep');
  }
}
