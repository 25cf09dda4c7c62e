import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AccessRequest } from '../../access/policies.guard.js';
import { CheckPolicies, Public } from '../../access/policies.decorator.js';
import { Errors } from '../../common/errors.js';
import { parseId, parseInput } from '../../common/validation.js';
import { PHOTO_SORT_KEYS } from '../../photos/photo-query.repository.js';
import { PRIVACY_LEVELS, type PrivacyLevel } from '../../users/user.entity.js';
import { ApiAnswerCache } from '../api-answer.cache.js';
import { ApiCacheInterceptor } from '../api-cache.interceptor.js';
import { DEFAULT_PAGE_SIZE, queryBool, queryDate, queryId, queryLimit, queryText } from '../api-input.js';
import { isAdminRequest, principalOf } from '../api-request.js';
import { ApiDoc } from '../api-schema.decorator.js';
import { PhotoEditService } from './photo-edit.service.js';
import { PhotoReadService } from './photo-read.service.js';
import { photoDetailViewSchema, photoPageSchema, type PhotoDetailView } from './photo.view.js';

const privacyLevel = z.union(PRIVACY_LEVELS.map((l) => z.literal(l)) as [z.ZodLiteral<PrivacyLevel>, ...z.ZodLiteral<PrivacyLevel>[]]);
const listQuery = z.strictObject({
  album: queryId.optional(),
  recursive: queryBool.optional(),
  tag: z.string().min(1).max(120).optional(),
  takenFrom: queryDate.optional(),
  takenTo: queryDate.optional(),
  camera: queryText.optional(),
  q: queryText.optional(),
  privacyLevel: z.enum(PRIVACY_LEVELS.map(String) as [string, ...string[]]).transform(Number).optional(),
  sort: z.enum(PHOTO_SORT_KEYS).optional(),
  limit: queryLimit.optional(),
  cursor: z.string().min(1).max(4000).optional(),
});
const updateBody = z.strictObject({
  title: z.string().max(1000).nullable().optional(),
  description: z.string().max(20_000).nullable().optional(),
  privacyLevel: privacyLevel.optional(),
  tags: z.array(z.string().max(100)).max(200).optional(),
  /** Plugin metadata fields by key; each is checked against its declaration. */
  fields: z.record(z.string().max(100), z.unknown()).refine((r) => Object.keys(r).length <= 100, 'at most 100 fields').optional(),
});

/** Photos: `/api/v1/photos` lists (filters, sorts, cursor pages) and details, visible only; edits. */
@ApiTags('photos')
@UseInterceptors(ApiCacheInterceptor)
@Controller('api/v1/photos')
export class PhotoController {
  constructor(
    private readonly reads: PhotoReadService,
    private readonly edits: PhotoEditService,
    private readonly answers: ApiAnswerCache,
  ) {}

  /**
   * Visible photos. `sort` is one of the allowlisted keys (`-` for descending; default
   * `-takenAt`); pages are chained with the opaque `nextCursor`. `privacyLevel` is for
   * administrators; `takenTo` given as a date includes that whole day (UTC).
   */
  @Get()
  @Public()
  @ApiDoc({ summary: 'List visible photos (filters, allowlisted sorts, cursor pagination)', query: listQuery, response: photoPageSchema })
  async list(@Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const q = parseInput(listQuery, query, 'query string');
    if (q.privacyLevel !== undefined && !isAdminRequest(req)) {
      throw Errors.invalid('validation.failed', 'Only administrators can filter by privacy level.', [{ path: 'privacyLevel', message: 'administrators only' }]);
    }
    if (q.recursive && q.album === undefined) {
      throw Errors.invalid('validation.failed', 'recursive needs album.', [{ path: 'recursive', message: 'needs album' }]);
    }
    const filter = {
      albumId: q.album,
      recursive: q.recursive,
      tagSlug: q.tag,
      takenFrom: q.takenFrom === undefined ? undefined : new Date(q.takenFrom),
      takenTo: q.takenTo === undefined ? undefined : new Date(q.takenTo.length === 10 ? `${q.takenTo}T23:59:59.999Z` : q.takenTo),
      camera: q.camera,
      text: q.q,
      privacyLevel: q.privacyLevel,
    };
    // Validated above (role rules included), so the answer is a function of scope + URL + data: cacheable.
    await this.answers.send(req, res, principalOf(req), (scope) => this.reads.listIn(scope, filter, q.sort ?? '-takenAt', q.limit ?? DEFAULT_PAGE_SIZE, q.cursor));
  }

  @Get(':id')
  @Public()
  @ApiDoc({ summary: 'One visible photo: sizes, metadata, tags, visible albums', response: photoDetailViewSchema })
  get(@Param('id') id: string, @Req() req: Request): Promise<PhotoDetailView> {
    return this.reads.detail(principalOf(req), parseId(id, 'photo'));
  }

  @Patch(':id')
  @CheckPolicies((a) => a.can('update', 'Photo'))
  @ApiDoc({ summary: 'Edit title, description, privacy level, the tag set or plugin metadata fields', body: updateBody, response: photoDetailViewSchema })
  async update(@Param('id') id: string, @Body() body: unknown, @Req() req: AccessRequest): Promise<PhotoDetailView> {
    const photoId = parseId(id, 'photo');
    const input = parseInput(updateBody, body);
    await this.edits.update(principalOf(req), req.ability!, photoId, input);
    return this.reads.detail(principalOf(req), photoId);
  }

  @Delete(':id')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'Photo'))
  @ApiDoc({ summary: 'Delete a photo: rows and album links now, files after the commit' })
  async remove(@Param('id') id: string, @Req() req: AccessRequest): Promise<void> {
    await this.edits.remove(principalOf(req), req.ability!, parseId(id, 'photo'));
  }
}
