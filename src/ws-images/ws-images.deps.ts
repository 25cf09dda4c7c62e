import type { Principal } from '../access/principal.js';
import type { VisibilityService } from '../access/visibility.service.js';
import type { AlbumService } from '../albums/album.service.js';
import type { ImageSizeRegistry } from '../media/image-size.registry.js';
import type { WsContext } from '../piwigo/ws-context.types.js';
import type { WsChunkStore } from './ws-chunk.store.js';
import type { WsImagesService } from './ws-images.service.js';

/** What the pwg.images.* handlers are built from. */
export interface WsImagesDeps {
  images: WsImagesService;
  chunks: WsChunkStore;
  visibility: VisibilityService;
  albums: AlbumService;
  sizes: ImageSizeRegistry;
  /** The Vitrine principal behind a ws.php caller (the integration layer's session/API-key auth). */
  principalOf(ctx: WsContext): Principal | Promise<Principal>;
  /** Where in-memory file parts are written before ingest (`DATA_DIR/tmp`). */
  tempDir: string;
  /** `$conf['uniqueness_mode']`: which list pwg.images.exist reads. */
  uniquenessMode: 'md5sum' | 'filename';
}
