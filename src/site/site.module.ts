import { Module } from '@nestjs/common';
import { HTML_ERROR_PAGES } from '../common/html-error-pages.js';
import { PiwigoLegacyController } from './piwigo-legacy.controller.js';
import { SharePageController } from './share-page.controller.js';
import { SiteContextService } from './site-context.service.js';
import { SiteErrorFilter } from './site-error.filter.js';
import { SiteHeadersInterceptor } from './site-headers.js';
import { SiteLoginRenderer } from './site-login.renderer.js';
import { pageCacheMsFromEnv, SITE_PAGE_CACHE_MS, SitePageCache } from './site-page.cache.js';
import { SitePagesController } from './site-pages.controller.js';
import { SiteSeoController } from './site-seo.controller.js';
import { ThemeAssetController } from './theme-asset.controller.js';
import { findThemesDir, SITE_THEMES_DIR, ThemeService } from './theme.service.js';

/**
 * The public site: gallery pages rendered by the active theme, share-link landing, sitemap,
 * robots.txt, theme assets and redirects from Piwigo's public URLs. Depends on the global AccessModule (visibility, abilities, share
 * links, app secret) and CoreModule (config, logger).
 */
@Module({
  controllers: [ThemeAssetController, SiteSeoController, SharePageController, SitePagesController, PiwigoLegacyController],
  providers: [
    { provide: SITE_THEMES_DIR, useFactory: () => findThemesDir() },
    ThemeService,
    SiteContextService,
    SiteErrorFilter,
    SiteHeadersInterceptor,
    SiteLoginRenderer,
    { provide: SITE_PAGE_CACHE_MS, useFactory: () => pageCacheMsFromEnv(process.env) },
    SitePageCache,
    { provide: HTML_ERROR_PAGES, useExisting: SiteErrorFilter },
  ],
  exports: [ThemeService, SITE_THEMES_DIR, SiteContextService, HTML_ERROR_PAGES, SiteErrorFilter, SiteHeadersInterceptor],
})
export class SiteModule {}
