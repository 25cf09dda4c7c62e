import { Controller, Get, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Public } from '../../access/policies.decorator.js';
import { VisibilityService } from '../../access/visibility.service.js';
import { parseInput } from '../../common/validation.js';
import { likePattern } from '../../photos/photo-query.repository.js';
import { ApiCacheInterceptor } from '../api-cache.interceptor.js';
import { queryLimit, queryText } from '../api-input.js';
import { principalOf } from '../api-request.js';
import { ApiDoc } from '../api-schema.decorator.js';
import { AlbumQueryRepository } from '../albums/album-query.repository.js';
import { albumView, albumViewSchema, type AlbumView } from '../albums/album.view.js';
import { photoPageSchema } from '../photos/photo.view.js';
import { type PhotoPage, PhotoReadService } from '../photos/photo-read.service.js';

const searchQuery = z.strictObject({ q: queryText, limit: queryLimit.optional() });

/** `GET /api/v1/search?q=`: visible albums (name, description) and visible photos (title, description, file name). */
@ApiTags('search')
@UseInterceptors(ApiCacheInterceptor)
@Controller('api/v1/search')
export class SearchController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly visibility: VisibilityService,
    private readonly photos: PhotoReadService,
  ) {}

  @Get()
  @Public()
  @ApiDoc({ summary: 'Search visible albums and photos', query: searchQuery, response: z.object({ albums: z.array(albumViewSchema), photos: photoPageSchema }) })
  async search(@Query() query: unknown, @Req() req: Request): Promise<{ albums: AlbumView[]; photos: PhotoPage }> {
    const { q, limit = 20 } = parseInput(searchQuery, query, 'query string');
    const principal = principalOf(req);
    const scope = await this.visibility.scopeFor(principal);
    const albums = await new AlbumQueryRepository(this.dataSource.manager).search(scope, likePattern(q), limit);
    const photos = await this.photos.list(principal, { text: q }, '-takenAt', limit);
    return { albums: albums.map((row) => albumView(row, scope)), photos };
  }
}
