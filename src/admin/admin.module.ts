import { Module } from '@nestjs/common';
import { AlbumModule } from '../albums/album.module.js';
import { ApiModule } from '../api/api.module.js';
import { PhotosModule } from '../photos/photos.module.js';
import { SiteModule } from '../site/site.module.js';
import { UserModule } from '../users/user.module.js';
import { AdminAlbumsController } from './admin-albums.controller.js';
import { AdminAssetsController } from './admin-assets.controller.js';
import { AdminDashboardController } from './admin-dashboard.controller.js';
import { AdminPhotosController } from './admin-photos.controller.js';
import { AdminGroupsController } from './admin-groups.controller.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AdminSharesController } from './admin-shares.controller.js';
import { AdminThemesController } from './admin-themes.controller.js';
import { AdminAuditController } from './admin-audit.controller.js';
import { AdminPluginsController } from './admin-plugins.controller.js';
import { AdminSettingsController } from './admin-settings.controller.js';
import { AdminErrorFilter } from './admin-error.filter.js';
import { AdminPageRegistry } from './admin-extensions.js';
import { ADMIN_RENDERER, AdminPageService } from './admin-page.service.js';
import { AdminViewRenderer } from './admin-view.renderer.js';

/**
 * The server-rendered administration under `/admin` (see README.md). Exports
 * `AdminPageRegistry` (plugins add pages). The plugins page uses an `AdminPluginService` when a
 * global module provides one under `ADMIN_PLUGIN_SERVICE` (admin-extensions.ts); else it lists none.
 */
@Module({
  imports: [AlbumModule, UserModule, PhotosModule, ApiModule, SiteModule],
  controllers: [AdminAssetsController, AdminDashboardController, AdminAlbumsController, AdminPhotosController, AdminUsersController, AdminGroupsController, AdminSharesController, AdminThemesController, AdminPluginsController, AdminAuditController, AdminSettingsController],
  providers: [
    { provide: ADMIN_RENDERER, useFactory: () => new AdminViewRenderer() },
    AdminPageRegistry,
    AdminPageService,
    AdminErrorFilter,
  ],
  exports: [AdminPageRegistry, AdminPageService],
})
export class AdminModule {}
