import { join } from 'node:path';
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { Principal } from '../access/principal.js';
import { VisibilityService } from '../access/visibility.service.js';
import { AlbumModule } from '../albums/album.module.js';
import { AlbumService } from '../albums/album.service.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { ImageSizeRegistry } from '../media/image-size.registry.js';
import { MediaModule } from '../media/media.module.js';
import { tempDirOf } from '../photos/photo-paths.js';
import { PhotosModule } from '../photos/photos.module.js';
import { WS_METHOD_REGISTRY } from '../piwigo-api/piwigo-api.module.js';
import { wsPrincipal } from '../piwigo-api/ws-context.factory.js';
import type { WsContext } from '../piwigo/ws-context.types.js';
import type { WsMethodRegistry } from '../piwigo/ws-method.registry.js';
import type { WsMethodDefinition, WsParamSpecs } from '../piwigo/ws-method.types.js';
import { AuditService } from '../audit/audit.service.js';
import { WsChunkStore } from './ws-chunk.store.js';
import { audited } from './ws-images.audit.js';
import type { WsImagesDeps } from './ws-images.deps.js';
import { wsImageInfoMethods } from './ws-images-info.methods.js';
import { wsImageUploadMethods } from './ws-images-upload.methods.js';
import { WsImagesService } from './ws-images.service.js';
import { loadWsImagesSettings, type WsImagesSettings } from './ws-images.settings.js';

/** Pending chunked uploads untouched this long are removed. */
export const WS_CHUNK_TTL_MS = 6 * 60 * 60 * 1000;

/** The chunk spool of a configuration: `DATA_DIR/ws-chunks`, one file's cap = MAX_UPLOAD_BYTES, total = 4× that. */
export function wsChunkStoreFor(config: Pick<VitrineConfig, 'dataDir' | 'maxUploadBytes'>): WsChunkStore {
  return new WsChunkStore({ root: join(config.dataDir, 'ws-chunks'), maxFileBytes: config.maxUploadBytes, maxTotalBytes: 4 * config.maxUploadBytes, ttlMs: WS_CHUNK_TTL_MS });
}

/** Every pwg.images.* method, built over these dependencies. */
export function wsImageMethods(deps: WsImagesDeps): WsMethodDefinition<WsParamSpecs>[] {
  return [...wsImageUploadMethods(deps), ...wsImageInfoMethods(deps)];
}

/** Builds the handlers' dependencies from the module's providers and a principal resolver. */
export function wsImagesDeps(
  providers: { images: WsImagesService; chunks: WsChunkStore; visibility: VisibilityService; albums: AlbumService; sizes: ImageSizeRegistry; config: VitrineConfig },
  principalOf: (ctx: WsContext) => Principal | Promise<Principal>,
  settings: WsImagesSettings = loadWsImagesSettings(),
): WsImagesDeps {
  const { images, chunks, visibility, albums, sizes, config } = providers;
  return { images, chunks, visibility, albums, sizes, principalOf, tempDir: tempDirOf(config), uniquenessMode: settings.uniquenessMode };
}

/** pwg.images.* of ws.php (see README.md in this folder). */
@Module({
  imports: [AlbumModule, MediaModule, PhotosModule],
  providers: [WsImagesService, { provide: WsChunkStore, inject: [VITRINE_CONFIG], useFactory: wsChunkStoreFor }],
  exports: [WsImagesService, WsChunkStore],
})
export class WsImagesModule implements OnModuleInit {
  constructor(
    private readonly images: WsImagesService,
    private readonly chunks: WsChunkStore,
    private readonly visibility: VisibilityService,
    private readonly albums: AlbumService,
    private readonly sizes: ImageSizeRegistry,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
    @Inject(WS_METHOD_REGISTRY) private readonly registry: WsMethodRegistry,
    private readonly audit: AuditService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.registry.registerAll(wsImageMethods(this.deps(wsPrincipal)).map((method) => audited(method, this.audit)));
    await this.chunks.sweep();
  }

  /** The dependencies of the handlers (used by the ws.php registration and by tests). */
  deps(principalOf: (ctx: WsContext) => Principal | Promise<Principal>, settings?: WsImagesSettings): WsImagesDeps {
    return wsImagesDeps({ images: this.images, chunks: this.chunks, visibility: this.visibility, albums: this.albums, sizes: this.sizes, config: this.config }, principalOf, settings);
  }
}
