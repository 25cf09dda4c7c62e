import { Body, Controller, Delete, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CheckPolicies } from '../../access/policies.decorator.js';
import { AlbumService } from '../../albums/album.service.js';
import { idList, parseId, parseInput } from '../../common/validation.js';
import { ApiCacheInterceptor } from '../api-cache.interceptor.js';
import { ApiDoc } from '../api-schema.decorator.js';

const photosBody = z.strictObject({ photoIds: idList.min(1).max(1000) });
const unlinked = z.object({ unlinked: z.array(z.number().int()) });
const canUpdate = CheckPolicies((a) => a.can('update', 'Album'));

/** Photo links of an album: `/api/v1/albums/:id/photos` (a photo can sit in many albums). */
@ApiTags('albums')
@UseInterceptors(ApiCacheInterceptor)
@Controller('api/v1/albums/:id/photos')
export class AlbumPhotoController {
  constructor(private readonly albums: AlbumService) {}

  @Post()
  @HttpCode(200)
  @canUpdate
  @ApiDoc({ summary: 'Link photos to the album (already linked ones are kept)', body: photosBody, response: z.object({ linked: z.array(z.number().int()) }) })
  async link(@Param('id') id: string, @Body() body: unknown): Promise<{ linked: number[] }> {
    return { linked: await this.albums.linkPhotos(parseId(id, 'album'), parseInput(photosBody, body).photoIds) };
  }

  @Delete()
  @canUpdate
  @ApiDoc({ summary: 'Unlink photos from the album (the photos stay)', body: photosBody, response: unlinked })
  async unlink(@Param('id') id: string, @Body() body: unknown): Promise<{ unlinked: number[] }> {
    return { unlinked: await this.albums.unlinkPhotos(parseId(id, 'album'), parseInput(photosBody, body).photoIds) };
  }

  /** Same as DELETE, for clients that cannot send a body with DELETE. */
  @Post('unlink')
  @HttpCode(200)
  @canUpdate
  @ApiDoc({ summary: 'Unlink photos from the album (POST form of DELETE)', body: photosBody, response: unlinked })
  unlinkPost(@Param('id') id: string, @Body() body: unknown): Promise<{ unlinked: number[] }> {
    return this.unlink(id, body);
  }
}
