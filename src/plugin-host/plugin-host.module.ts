import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { ModuleRef, RouterModule } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AbilityFactory, EXTRA_PERMISSIONS } from '../access/ability.factory.js';
import { WS_METHOD_REGISTRY } from '../piwigo-api/piwigo-api.module.js';
import { wsPrincipal } from '../piwigo-api/ws-context.factory.js';
import type { WsMethodRegistry } from '../piwigo/ws-method.registry.js';
import { actorOf } from './plugin-actor.js';
import { VisibilityService } from '../access/visibility.service.js';
import { AlbumService } from '../albums/album.service.js';
import { VITRINE_CONFIG } from '../config/config.js';
import { HookRegistry } from '../hooks/hook.registry.js';
import { JOB_QUEUE, type JobQueue } from '../jobs/job-queue.js';
import { ImageSizeRegistry, type ImageSizeSpec } from '../media/image-size.registry.js';
import { PhotoIngestService } from '../photos/photo-ingest.service.js';
import { apiBasePath } from '../plugins/plugin-contribution.collector.js';
import { PLUGIN_CONTEXT } from '../plugins/plugin-context.js';
import { THEME_EXTENSIONS } from '../site/theme.service.js';
import { PluginHost } from './plugin-host.js';
import { adminPluginService, registerAdminPages } from './plugin-admin.pages.js';
import { ADMIN_PLUGIN_SERVICE, AdminPageRegistry } from '../admin/admin-extensions.js';
import { ImporterRegistry } from './plugin-importers.js';
import { pluginSiteModule } from './plugin-site.routes.js';
import { PluginSiteViews, themeExtensions } from './plugin-site.views.js';
import { MetadataFieldCatalog } from './plugin-metadata.js';

/** Nest token of the running {@link PluginHost}. */
export const PLUGIN_HOST = PluginHost;

/**
 * Connects the {@link PluginHost} to the Nest application: provides the {@link HookRegistry}
 * and the metadata field catalogue to core, hands contributions to their consumers (image
 * sizes, jobs), makes core services available to plugin facades, and runs `bootstrap` /
 * `destroy` with the application's lifecycle.
 */
@Global()
@Module({})
export class PluginHostModule implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(PluginHost) private readonly host: PluginHost,
    private readonly moduleRef: ModuleRef,
  ) {}

  static forRoot(host: PluginHost): DynamicModule {
    return {
      module: PluginHostModule,
      imports: [...pluginApiModules(host), ...[pluginSiteModule(host)].filter((m) => m !== undefined)],
      providers: [
        { provide: PluginHost, useValue: host },
        { provide: HookRegistry, useValue: host.hooks },
        { provide: MetadataFieldCatalog, useValue: host.catalog },
        { provide: ImporterRegistry, useValue: new ImporterRegistry(host) },
        { provide: THEME_EXTENSIONS, useFactory: () => themeExtensions(host.registry, host.hooks) },
        {
          provide: EXTRA_PERMISSIONS,
          useValue: host.registry.list('permission').map(({ value: p }) => ({ action: p.action, subject: p.subject, roles: [...(p.defaultRoles ?? ['webmaster', 'admin'])] })),
        },
        { provide: ADMIN_PLUGIN_SERVICE, inject: [DataSource], useFactory: (dataSource: DataSource) => adminPluginService(host, dataSource) },
        { provide: PluginSiteViews, inject: [DataSource], useFactory: (dataSource: DataSource) => new PluginSiteViews(host.hooks, host.catalog, dataSource) },
      ],
      exports: [ADMIN_PLUGIN_SERVICE, PluginHost, ImporterRegistry, HookRegistry, MetadataFieldCatalog, THEME_EXTENSIONS, PluginSiteViews, EXTRA_PERMISSIONS],
    };
  }

  async onModuleInit(): Promise<void> {
    const get = <T>(token: Type<T> | symbol): T => this.moduleRef.get(token as Type<T>, { strict: false });
    const jobs = get<JobQueue>(JOB_QUEUE);
    this.host.attach({
      dataSource: get(DataSource),
      config: get(VITRINE_CONFIG),
      visibility: get(VisibilityService),
      abilities: get(AbilityFactory),
      albums: get(AlbumService),
      ingest: get(PhotoIngestService),
      jobs,
    });
    await this.registerImageSizes(get(ImageSizeRegistry));
    this.registerWsMethods(get<WsMethodRegistry>(WS_METHOD_REGISTRY));
    registerAdminPages(this.host, get(AdminPageRegistry));
    for (const { owner, key, value: job } of this.host.registry.list('job')) {
      const plugin = this.host.plugin(owner)!;
      jobs.work(key, async (run) => {
        const controller = new AbortController();
        await job.handler(job.payload ? job.payload.parse(run.payload) : run.payload, { id: String(run.id), ctx: this.host.contextFor(plugin), signal: controller.signal });
      });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.host.bootstrap();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.host.destroy();
  }

  /** Plugin ws.php methods join the one registry behind `/ws.php` (owner `plugin:<name>`). */
  private registerWsMethods(ws: WsMethodRegistry): void {
    for (const { owner, value: method } of this.host.registry.list('wsMethod')) {
      const plugin = this.host.plugin(owner)!;
      ws.register({
        name: method.name,
        description: method.description,
        params: method.params as never,
        adminOnly: method.adminOnly,
        postOnly: method.postOnly,
        hidden: method.hidden,
        owner: `plugin:${owner}`,
        handler: async (params, wsCtx) =>
          (await method.handler(params as Record<string, unknown>, { actor: actorOf(wsPrincipal(wsCtx), 'ws'), ctx: this.host.contextFor(plugin) })) as never,
      });
    }
  }

  /** Plugin sizes join the registry; then the `image.sizes` filter runs once over all of them. */
  private async registerImageSizes(sizes: ImageSizeRegistry): Promise<void> {
    for (const { key, value } of this.host.registry.list('imageSize')) {
      if (sizes.get(key)) continue;
      sizes.register(key, { width: value.width, height: value.height, crop: value.crop ?? false, eager: value.eager ?? false });
    }
    if (this.host.hooks.subscriptions('image.sizes').length === 0) return;
    // hook: image.sizes — read once at start-up; a failing handler stops the start-up.
    const before: Record<string, ImageSizeSpec> = { ...sizes.all() };
    const after = await this.host.hooks.applyFilter('image.sizes', { ...before });
    // Keep what the filter did as a change set, so sizes registered later (theme sizes) still join.
    const removed = Object.keys(before).filter((name) => !(name in after));
    const changed = Object.fromEntries(Object.entries(after).filter(([name, spec]) => JSON.stringify(spec) !== JSON.stringify(before[name])));
    sizes.applyFilter((current) => {
      const out: Record<string, ImageSizeSpec> = { ...current };
      for (const name of removed) delete out[name];
      return Object.assign(out, changed);
    });
  }
}

/** One module per plugin with controllers, mounted at `/api/v1/plugins/<name>`. */
function pluginApiModules(host: PluginHost): DynamicModule[] {
  const modules: DynamicModule[] = [];
  const routes: { path: string; module: Type<unknown> }[] = [];
  for (const plugin of host.loaded) {
    const { controllers = [], providers = [] } = plugin.definition;
    if (controllers.length === 0) continue;
    const cls = { [`Plugin_${plugin.name.replace(/-/g, '_')}_Module`]: class {} }[`Plugin_${plugin.name.replace(/-/g, '_')}_Module`]!;
    Module({})(cls);
    modules.push({
      module: cls,
      controllers: [...controllers],
      providers: [...providers, { provide: PLUGIN_CONTEXT, useFactory: () => host.contextFor(plugin) }],
    });
    routes.push({ path: apiBasePath(plugin.name), module: cls });
  }
  if (routes.length) modules.push(RouterModule.register(routes));
  return modules;
}
