import { Controller, Get, Param, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Public } from '../../access/policies.decorator.js';
import { parseInput } from '../../common/validation.js';
import { PHOTO_SORT_KEYS } from '../../photos/photo-query.repository.js';
import { TagService, type TagCount } from '../../tags/tag.service.js';
import { ApiAnswerCache } from '../api-answer.cache.js';
import { ApiCacheInterceptor } from '../api-cache.interceptor.js';
import { DEFAULT_PAGE_SIZE, queryLimit } from '../api-input.js';
import { principalOf } from '../api-request.js';
import { ApiDoc } from '../api-schema.decorator.js';
import { type PhotoPage, PhotoReadService } from '../photos/photo-read.service.js';
import { photoPageSchema } from '../photos/photo.view.js';

const slugParam = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(120);
const tagCountSchema = z.object({ id: z.number().int(), name: z.string(), slug: z.string(), photoCount: z.number().int() });
const pageQuery = z.strictObject({ sort: z.enum(PHOTO_SORT_KEYS).optional(), limit: queryLimit.optional(), cursor: z.string().min(1).max(4000).optional() });

/** Tags: `/api/v1/tags`. Only tags carried by at least one visible photo exist, counted on visible photos. */
@ApiTags('tags')
@UseInterceptors(ApiCacheInterceptor)
@Controller('api/v1/tags')
export class TagController {
  constructor(
    private readonly tags: TagService,
    private readonly photos: PhotoReadService,
    private readonly answers: ApiAnswerCache,
  ) {}

  @Get()
  @Public()
  @ApiDoc({ summary: 'Tags with the number of visible photos', response: z.array(tagCountSchema) })
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.answers.send(req, res, principalOf(req), (scope) => this.tags.visible(scope));
  }

  @Get(':slug/photos')
  @Public()
  @ApiDoc({ summary: 'Visible photos of a tag (cursor pages)', query: pageQuery, response: photoPageSchema.extend({ tag: tagCountSchema }) })
  async photosOf(@Param('slug') slug: string, @Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const q = parseInput(pageQuery, query, 'query string');
    const checked = slugParam.safeParse(slug);
    await this.answers.send(req, res, principalOf(req), async (scope): Promise<PhotoPage & { tag: TagCount }> => {
      const tag = await this.tags.visibleBySlug(scope, checked.success ? checked.data : '');
      const page = await this.photos.listIn(scope, { tagSlug: tag.slug }, q.sort ?? '-takenAt', q.limit ?? DEFAULT_PAGE_SIZE, q.cursor);
      return { tag, ...page };
    });
  }
}
