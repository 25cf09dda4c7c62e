import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { registerCoreWsMethods, registerSessionWsMethods, WsMethodRegistry, type WsMethodDefinition } from '../piwigo/index.js';
import { DataSource } from 'typeorm';
import { VisibilityService } from '../access/visibility.service.js';
import { AlbumModule } from '../albums/album.module.js';
import { AlbumService } from '../albums/album.service.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { ImageSizeRegistry } from '../media/image-size.registry.js';
import { UserModule } from '../users/user.module.js';
import { GrantService } from '../access/grant.service.js';
import { GroupService } from '../groups/group.service.js';
import { TagService } from '../tags/tag.service.js';
import { UserService } from '../users/user.service.js';
import { groupWsMethods, permissionWsMethods } from './methods/group-permission.ws-methods.js';
import { infosWsMethod } from './methods/infos.ws-methods.js';
import { tagWsMethods } from './methods/tag.ws-methods.js';
import { userWsMethods } from './methods/user.ws-methods.js';
import { categoryReadWsMethods } from './methods/category-read.ws-methods.js';
import { categoryWriteWsMethods } from './methods/category-write.ws-methods.js';
import { WsImageShaper, WsUrls } from './ws-image.shaper.js';
import { WsAnswerCache } from './ws-response.cache.js';
import { ApiKeyService } from '../auth/api-key.service.js';
import { apiKeyWsMethods } from './methods/api-key.ws-methods.js';
import { WsAuthAdapter } from './ws-auth.port.js';
import { WsContextFactory } from './ws-context.factory.js';
import { audited } from './ws-audit.js';
import { isWsReadMethod, readOnlyKeyGuard, webSessionWriteGuard } from './ws-guards.js';
import { WsSessionStore } from './ws-session.store.js';

/**
 * Injection token of the one {@link WsMethodRegistry} behind `/ws.php`. Modules and plugins
 * register their methods into it at start-up (`onModuleInit`), before the first request:
 *
 * ```ts
 * constructor(@Inject(WS_METHOD_REGISTRY) private readonly ws: WsMethodRegistry) {}
 * onModuleInit() { this.ws.register(defineWsMethod({ name: 'pwg.images.exist', … })); }
 * ```
 * (`WsMethodRegistry` itself is also injectable and is the same instance.)
 */
export const WS_METHOD_REGISTRY = Symbol('WS_METHOD_REGISTRY');

/**
 * Piwigo's web API on the real services: the `/ws.php` method registry (global), `pwg_id`
 * sessions, the auth adapter behind `pwg.session.*`, and the request context. The route itself
 * is mounted by `installWsPhp(app)` in `createApp` (before the body parser and the site routes).
 */
@Global()
@Module({
  imports: [AlbumModule, UserModule],
  providers: [
    { provide: WS_METHOD_REGISTRY, useFactory: () => new WsMethodRegistry() },
    { provide: WsMethodRegistry, useExisting: WS_METHOD_REGISTRY },
    WsSessionStore,
    WsContextFactory,
    WsAuthAdapter,
    TagService,
    { provide: WsAnswerCache, inject: [DataSource], useFactory: (dataSource: DataSource) => new WsAnswerCache(dataSource) },
  ],
  exports: [WS_METHOD_REGISTRY, WsMethodRegistry, WsContextFactory, WsSessionStore, WsAnswerCache],
})
export class PiwigoApiModule implements OnModuleInit {
  constructor(
    @Inject(WS_METHOD_REGISTRY) private readonly registry: WsMethodRegistry,
    private readonly auth: WsAuthAdapter,
    private readonly apiKeys: ApiKeyService,
    private readonly dataSource: DataSource,
    private readonly visibility: VisibilityService,
    private readonly albums: AlbumService,
    private readonly sizes: ImageSizeRegistry,
    private readonly tags: TagService,
    private readonly users: UserService,
    private readonly groups: GroupService,
    private readonly grants: GrantService,
    private readonly audit: AuditService,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
  ) {}

  onModuleInit(): void {
    registerCoreWsMethods(this.registry);
    registerSessionWsMethods(this.registry, this.auth);
    this.registry.registerAll(apiKeyWsMethods(this.apiKeys));
    const shaper = new WsImageShaper(this.sizes, new WsUrls(this.config.publicUrl));
    this.registry.registerAll(categoryReadWsMethods({ dataSource: this.dataSource, visibility: this.visibility, shaper }));
    const audit = (defs: WsMethodDefinition[]) => defs.map((d) => (isWsReadMethod(d.name) ? d : audited(this.audit, d)));
    this.registry.registerAll(audit(categoryWriteWsMethods(this.albums)));
    this.registry.registerAll(audit(tagWsMethods({ dataSource: this.dataSource, visibility: this.visibility, tags: this.tags, shaper })));
    this.registry.registerAll(audit(userWsMethods(this.dataSource, this.users, this.groups)));
    this.registry.registerAll(audit(groupWsMethods(this.dataSource, this.groups)));
    this.registry.registerAll(audit(permissionWsMethods(this.dataSource, this.grants)));
    this.registry.register(infosWsMethod(this.dataSource));
    this.registry.addInvokeGuard(readOnlyKeyGuard);
    this.registry.addInvokeGuard(webSessionWriteGuard);
  }
}
