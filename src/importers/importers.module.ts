import { Module } from '@nestjs/common';
import { AlbumModule } from '../albums/album.module.js';
import { PhotosModule } from '../photos/photos.module.js';
import { FolderImportService } from './folder-import.service.js';

/** Import engines (folder import; plugins wrap them as importers). */
@Module({
  imports: [AlbumModule, PhotosModule],
  providers: [FolderImportService],
  exports: [FolderImportService],
})
export class ImportersModule {}
