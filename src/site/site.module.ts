import { Module } from '@nestjs/common';
import { SharePageController } from './share-page.controller.js';
import { SiteContextService } from './site-context.service.js';
import { SiteErrorFilter } from './site-error.filter.js';
import { SiteHeadersInterceptor } from './site-headers.js';
import { SitePagesController } from './site-pages.controller.js';
import { SiteSeoController } from './site-seo.controller.js';
import { ThemeAssetController } from './theme-asset.controller.js';
import { findThemesDir, SITE_THEMES_DIR, ThemeService } from './theme.service.js';

/**
 * The public site: gallery pages rendered by the active theme, share-link landing, sitemap,
 * robots.txt and theme assets. Depends on the global AccessModule (visibility, abilities, share
 * links, app secret) and CoreModule (config, logger).
 */
@Module({
  controllers: [ThemeAssetController, SiteSeoController, SharePageController, SitePagesController],
  providers: [
    { provide: SITE_THEMES_DIR, useFactory: () => findThemesDir() },
    ThemeService,
    SiteContextService,
    SiteErrorFilter,
    SiteHeadersInterceptor,
  ],
  exports: [ThemeService],
})
export class SiteModule {}
