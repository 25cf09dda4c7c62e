import { Module } from '@nestjs/common';
import { AlbumModule } from '../albums/album.module.js';
import { PhotosModule } from '../photos/photos.module.js';
import { TagService } from '../tags/tag.service.js';
import { UserModule } from '../users/user.module.js';
import { API_ANSWER_CACHE_MS, ApiAnswerCache, apiAnswerCacheMsFromEnv } from './api-answer.cache.js';
import { AlbumReadService } from './albums/album-read.service.js';
import { AlbumController } from './albums/album.controller.js';
import { AlbumPhotoController } from './photos/album-photo.controller.js';
import { PhotoEditService } from './photos/photo-edit.service.js';
import { PhotoReadService } from './photos/photo-read.service.js';
import { PhotoController } from './photos/photo.controller.js';
import { SearchController } from './search/search.controller.js';
import { ServerInfoController } from './server/server-info.controller.js';
import { TagController } from './tags/tag.controller.js';
import { GroupController } from './users/group.controller.js';
import { UserController } from './users/user.controller.js';

/** The REST API under `/api/v1` (thin controllers over the domain services); see README.md. */
@Module({
  imports: [AlbumModule, UserModule, PhotosModule],
  controllers: [AlbumController, AlbumPhotoController, PhotoController, TagController, SearchController, UserController, GroupController, ServerInfoController],
  providers: [
    AlbumReadService,
    PhotoReadService,
    PhotoEditService,
    TagService,
    ApiAnswerCache,
    { provide: API_ANSWER_CACHE_MS, useFactory: () => apiAnswerCacheMsFromEnv(process.env) },
  ],
  exports: [TagService, PhotoReadService, PhotoEditService, ApiAnswerCache],
})
export class ApiModule {}
