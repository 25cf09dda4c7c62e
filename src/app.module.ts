import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AccessModule } from './access/access.module.js';
import { AdminModule } from './admin/admin.module.js';
import { AlbumModule } from './albums/album.module.js';
import { ApiModule } from './api/api.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { LOGGER } from './common/logger.js';
import { ProblemFilter } from './common/problem.filter.js';
import { VITRINE_CONFIG, type VitrineConfig } from './config/config.js';
import { HealthModule } from './health/health.module.js';
import { SiteModule } from './site/site.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { PiwigoApiModule } from './piwigo-api/piwigo-api.module.js';
import { PhotosModule } from './photos/photos.module.js';
import { ImportersModule } from './importers/importers.module.js';
import { UploadsModule } from './uploads/uploads.module.js';
import type { PluginHost } from './plugin-host/plugin-host.js';
import { PluginHostModule } from './plugin-host/plugin-host.module.js';
import { UserModule } from './users/user.module.js';
import { WsImagesModule } from './ws-images/ws-images.module.js';

export interface AppModuleOptions {
  config: VitrineConfig;
  /** An initialised, migrated DataSource (opened before Nest so errors are reported cleanly). */
  dataSource: DataSource;
  logger: Logger;
  /** The started plugin system (see PluginHost.start): hooks, contributions, plugin API modules. */
  plugins: PluginHost;
}

@Global()
@Module({})
class CoreModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: VITRINE_CONFIG, useValue: options.config },
        { provide: LOGGER, useValue: options.logger },
      ],
      exports: [VITRINE_CONFIG, LOGGER],
    };
  }
}

/** The root module. Built with an already-open DataSource; Nest closes it on shutdown. */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...(options.dataSource.options as object), retryAttempts: 0 }),
          dataSourceFactory: async () => options.dataSource,
        }),
        AccessModule,
        AuditModule,
        AuthModule,
        HealthModule,
        AlbumModule,
        UserModule,
        ApiModule,
        JobsModule,
        PhotosModule,
        UploadsModule,
        ImportersModule,
        PluginHostModule.forRoot(options.plugins),
        PiwigoApiModule,
        AdminModule,
        WsImagesModule,
        // Last: the site's routes (/, /albums/…) come after every API route.
        SiteModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
