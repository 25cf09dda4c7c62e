import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { LoginPageRenderer } from '../auth/login-page.renderer.js';
import { LOGGER } from '../common/logger.js';
import type { LoginPageView, LoginView } from '../themes/theme-page.types.js';
import { SiteContextService } from './site-context.service.js';
import { SITE_CSP } from './site-headers.js';

/**
 * Plugs the active theme's `login` template into the auth layer's {@link LoginPageRenderer}, so
 * `/login` looks like the rest of the site (header, schemes, fonts). The auth layer keeps its
 * built-in form as the fallback when the theme fails.
 */
@Injectable()
export class SiteLoginRenderer implements OnModuleInit {
  constructor(
    private readonly login: LoginPageRenderer,
    private readonly contexts: SiteContextService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.login.useThemed({ contentSecurityPolicy: SITE_CSP, render: (req, view, token) => this.render(req, view, token) });
  }

  async render(req: Request, view: LoginView, csrfToken: string): Promise<string> {
    try {
      const ctx = await this.contexts.forRequest(req);
      const page: LoginPageView = {
        context: 'login',
        site: { ...ctx.site, csrfToken },
        meta: { title: 'Log in', description: null, canonicalUrl: null, image: null, noindex: true },
        login: view,
      };
      return await ctx.theme.renderPage(page);
    } catch (error) {
      this.logger.error({ err: error }, 'themed login page failed; using the built-in form');
      throw error;
    }
  }
}
