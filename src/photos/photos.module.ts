import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AlbumModule } from '../albums/album.module.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { SpoolStorageEngine } from '../importers/upload-spool.engine.js';
import { MediaModule } from '../media/media.module.js';
import { DerivativeJobHandler } from './derivative-job.handler.js';
import { MediaFileController } from './media-file.controller.js';
import { MediaFileService } from './media-file.service.js';
import { MediaFileFastPath } from './media-file.fast-path.js';
import { PhotoIngestService } from './photo-ingest.service.js';
import { tempDirOf } from './photo-paths.js';
import { MAX_FILES_PER_REQUEST, PhotoUploadController } from './photo-upload.controller.js';
import { PhotoService } from './photo.service.js';
import { DoctorService } from './doctor.service.js';
import { StorageRecoveryService } from './storage-recovery.service.js';

/**
 * Photos: ingest (service + `POST /api/v1/photos`), the eager derivative job, deletion, and the
 * media routes. Needs JobsModule (global) for the queue.
 */
@Module({
  imports: [
    AlbumModule,
    MediaModule,
    MulterModule.registerAsync({
      inject: [VITRINE_CONFIG],
      useFactory: (config: VitrineConfig) => ({
        storage: new SpoolStorageEngine({ tempDir: tempDirOf(config), maxBytes: config.maxUploadBytes }),
        // No busboy `fileSize`: the spool enforces MAX_UPLOAD_BYTES itself (before each write, with
        // its own `upload.too_large` error); busboy's limit would race it with a generic 413.
        limits: { files: MAX_FILES_PER_REQUEST, fields: 200, fieldSize: 64 * 1024, parts: 300 },
        defParamCharset: 'utf8',
      }),
    }),
  ],
  controllers: [PhotoUploadController, MediaFileController],
  providers: [PhotoIngestService, PhotoService, DerivativeJobHandler, MediaFileService, MediaFileFastPath, StorageRecoveryService, DoctorService],
  exports: [PhotoIngestService, PhotoService, DoctorService, StorageRecoveryService],
})
export class PhotosModule {}
