import { MetadataFieldCatalog } from '../plugin-host/plugin-metadata.js';
import { Inject, Injectable, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { AbilityFactory, type AppAbility } from '../access/ability.factory.js';
import type { AccessScope } from '../access/access-scope.js';
import type { AccessRequest } from '../access/policies.guard.js';
import { GUEST, isAdmin, type Principal } from '../access/principal.js';
import { VisibilityService } from '../access/visibility.service.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { ImageSizeRegistry } from '../media/image-size.registry.js';
import type { Theme } from '../themes/theme.loader.js';
import type { SiteView } from '../themes/theme-view.types.js';
import { PhotoCardBuilder, SiteImageSizes } from './photo-card.builder.js';
import { SiteAlbumRepository } from './site-album.repository.js';
import { SitePaths } from './site-paths.js';
import { SitePhotoRepository } from './site-photo.repository.js';
import { ThemeService } from './theme.service.js';

/**
 * What the auth layer adds to a request: the session's CSRF token for forms ('' without one).
 * Pages never create a session just to show a token; the share form does not need one.
 */
export interface SiteRequest extends AccessRequest {
  csrfToken?: (options?: { create?: boolean }) => string;
}

/** Everything one page render needs: who asks, what they see, the theme and the site view. */
export interface SiteContext {
  principal: Principal;
  scope: AccessScope;
  ability: AppAbility;
  theme: Theme;
  site: SiteView;
  paths: SitePaths;
  cards: PhotoCardBuilder;
  albums: SiteAlbumRepository;
  photos: SitePhotoRepository;
  /** Photos per page (the theme's `config.per_page`). */
  perPage: number;
}

const DEFAULT_TITLE = 'Vitrine';

/**
 * Builds the per-request {@link SiteContext}: the principal (from the auth layer, guest
 * otherwise), its visibility scope and abilities, the active theme and the {@link SiteView}.
 */
@Injectable()
export class SiteContextService implements OnApplicationBootstrap {
  readonly paths: SitePaths;
  private readonly imageSizes: SiteImageSizes;

  constructor(
    private readonly dataSource: DataSource,
    private readonly visibility: VisibilityService,
    private readonly abilities: AbilityFactory,
    private readonly themes: ThemeService,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() registry?: ImageSizeRegistry,
    @Optional() private readonly fields?: MetadataFieldCatalog,
  ) {
    this.paths = new SitePaths(config.publicUrl);
    this.imageSizes = new SiteImageSizes(registry ?? new ImageSizeRegistry());
  }

  /** Registers the active theme's image sizes at start, before any image URL is requested. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      this.imageSizes.for(await this.themes.active());
    } catch (error) {
      this.logger.error({ err: error }, 'could not load the active theme at start');
    }
  }

  /** The context for `req`, or for an explicit principal (share pages, sitemap). */
  async forRequest(req: Request, principal: Principal = (req as AccessRequest).principal ?? GUEST): Promise<SiteContext> {
    const em = this.dataSource.manager;
    const scope = await this.visibility.scopeFor(principal, em);
    const ability = principal === (req as AccessRequest).principal && (req as AccessRequest).ability ? (req as AccessRequest).ability! : await this.abilities.forPrincipal(principal);
    const theme = await this.themes.active();
    const albums = new SiteAlbumRepository(em);
    const settings = await this.siteSettings();
    const top = await albums.visibleChildren(null, scope);
    const site: SiteView = {
      title: settings.title,
      description: settings.description,
      locale: settings.locale,
      baseUrl: this.config.publicUrl,
      user: principal.kind === 'user' ? { name: principal.username, isAdmin: isAdmin(principal) } : null,
      nav: top.map((a) => ({ label: a.name, url: this.paths.album(a.id, a.slug), current: false })),
      csrfToken: (req as SiteRequest).csrfToken?.() ?? '',
      settings: await this.themes.storedSettings(theme.id),
      urls: {
        home: this.paths.home(),
        search: this.paths.search(),
        tags: null,
        login: `${this.paths.base}/login`,
        logout: `${this.paths.base}/logout`,
        admin: isAdmin(principal) ? `${this.paths.base}/admin` : null,
      },
    };
    return {
      principal,
      scope,
      ability,
      theme,
      site,
      paths: this.paths,
      cards: new PhotoCardBuilder(this.paths, this.imageSizes.for(theme)),
      albums,
      photos: new SitePhotoRepository(em, (this.fields?.searchable() ?? []).filter((f) => f.field.public).map((f) => ({ plugin: f.plugin, key: f.field.key }))),
      perPage: theme.manifest.config.per_page,
    };
  }

  /** Site title, description and locale from the `settings` table (`site_title`, `site_description`, `site_locale`). */
  private async siteSettings(): Promise<{ title: string; description: string | null; locale: string }> {
    const rows: { key: string; value: string | null }[] = await this.dataSource.query(
      `SELECT key, value #>> '{}' AS value FROM settings WHERE key IN ('site_title', 'site_description', 'site_locale')`,
    );
    const get = (key: string) => rows.find((r) => r.key === key)?.value?.trim() || null;
    const locale = get('site_locale');
    return { title: get('site_title') ?? DEFAULT_TITLE, description: get('site_description'), locale: locale && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale) ? locale : 'en' };
  }
}
