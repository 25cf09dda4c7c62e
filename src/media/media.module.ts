import { Global, Module } from '@nestjs/common';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { ImageSizeRegistry } from './image-size.registry.js';
import { LocalStorageStrategy } from './local-storage.strategy.js';
import { STORAGE_STRATEGY } from './storage.strategy.js';

/**
 * Nest wiring of the media building blocks: the active {@link STORAGE_STRATEGY} (local disk under
 * `DATA_DIR`) and the one {@link ImageSizeRegistry} of the process.
 */
@Global()
@Module({
  providers: [
    { provide: STORAGE_STRATEGY, inject: [VITRINE_CONFIG], useFactory: (config: VitrineConfig) => new LocalStorageStrategy(config.dataDir) },
    { provide: ImageSizeRegistry, useFactory: () => new ImageSizeRegistry() },
  ],
  exports: [STORAGE_STRATEGY, ImageSizeRegistry],
})
export class MediaModule {}
