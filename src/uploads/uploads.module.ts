import { Module } from '@nestjs/common';
import { PhotosModule } from '../photos/photos.module.js';
import { TusUploadController } from './tus-upload.controller.js';
import { TusUploadService } from './tus-upload.service.js';

/** Resumable (tus) uploads at `/api/v1/uploads/tus`, ending in the photo ingest pipeline. */
@Module({
  imports: [PhotosModule],
  controllers: [TusUploadController],
  providers: [TusUploadService],
  exports: [TusUploadService],
})
export class UploadsModule {}
