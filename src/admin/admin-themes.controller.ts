import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { GUEST } from '../access/principal.js';
import { LOGGER } from '../common/logger.js';
import { buildHomePage } from '../site/listing-page.builder.js';
import { SiteContextService } from '../site/site-context.service.js';
import { SITE_CSP } from '../site/site-headers.js';
import { SITE_THEMES_DIR, ThemeService } from '../site/theme.service.js';
import { isSafeAssetPath } from '../themes/helpers/asset.helper.js';
import { ThemeLoader } from '../themes/theme.loader.js';
import { AdminErrorFilter } from './admin-error.filter.js';
import { parseForm } from './admin-form.js';
import { listThemes, saveThemeSettings, settingFields, settingsFromForm, themeManifest } from './admin-theme.catalog.js';
import { AdminPageService } from './admin-page.service.js';
import { AdminPolicies } from './admin-policies.js';

const activateForm = z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'not a theme name') });
const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * `/admin/themes`: installed themes with their `theme:check` findings; activation (refused while
 * the check reports errors, by `ThemeService.activate`); a theme's custom settings with a live
 * preview (an iframe of the home page rendered with the values being edited, not yet saved).
 */
@Controller('admin/themes')
@UseFilters(AdminErrorFilter)
@AdminPolicies.themes
export class AdminThemesController {
  /** Separate from the site's loader: previews must not touch the live theme's cache. */
  private readonly previews: ThemeLoader;

  constructor(
    private readonly pages: AdminPageService,
    private readonly themes: ThemeService,
    private readonly contexts: SiteContextService,
    private readonly dataSource: DataSource,
    @Inject(SITE_THEMES_DIR) private readonly themesDir: string,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.previews = new ThemeLoader(themesDir, { logger: { warn: (message) => logger.debug({ preview: true }, message) } });
  }

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const [themes, active] = await Promise.all([listThemes(this.themesDir), this.themes.activeName()]);
    await this.pages.send(req, res, 'themes', 'Themes', {
      themes: themes.map((t) => ({ ...t, active: t.name === active, activatable: t.errors.length === 0, settings: Object.keys(t.manifest?.config.custom ?? {}).length > 0 })),
    });
  }

  @Post('activate')
  async activate(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { name } = parseForm(activateForm, body);
    await this.themes.activate(name);
    this.pages.flash(req, 'success', `Theme “${name}” is now live.`);
    await this.pages.redirect(res, '/admin/themes');
  }

  @Get(':name')
  async settings(@Param('name') name: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const manifest = await themeManifest(this.themesDir, name);
    const current = await this.themes.storedSettings(name);
    const fields = settingFields(manifest.config.custom, current);
    const active = (await this.themes.activeName()) === name;
    await this.pages.send(req, res, 'theme', `Theme: ${name}`, {
      name,
      manifest,
      fields,
      active,
      previewBase: `/admin/themes/${name}/preview`,
      previewQuery: new URLSearchParams(fields.filter((f) => f.type !== 'boolean' || f.checked).map((f): [string, string] => [f.key, f.type === 'boolean' ? 'on' : f.value])).toString(),
    });
  }

  @Post(':name')
  async save(@Param('name') name: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const manifest = await themeManifest(this.themesDir, name);
    const values = settingsFromForm(manifest.config.custom, (body ?? {}) as Record<string, unknown>);
    await saveThemeSettings(this.dataSource.manager, name, values);
    this.pages.flash(req, 'success', 'Theme settings saved.');
    await this.pages.redirect(res, `/admin/themes/${name}`);
  }

  /** The home page as guests see it, drawn by theme `name` with the settings in the query string. */
  @Get(':name/preview')
  async preview(@Param('name') name: string, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const manifest = await themeManifest(this.themesDir, name);
    const settings = settingsFromForm(manifest.config.custom, query, false);
    const theme = await this.previews.get(name);
    const ctx = await this.contexts.forRequest(req, GUEST);
    ctx.theme = theme;
    ctx.site = { ...ctx.site, settings, csrfToken: '' };
    const html = (await theme.renderPage(await buildHomePage(ctx))).replaceAll(`/assets/${name}/`, `/admin/themes/${name}/assets/`);
    res.setHeader('Content-Security-Policy', SITE_CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).type('html').send(html);
  }

  /** Assets of a previewed theme (the public `/assets/` route serves the active theme only). */
  @Get(':name/assets/*path')
  async asset(@Param('name') name: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const raw = (req.params as Record<string, string | string[] | undefined>).path;
    const path = Array.isArray(raw) ? raw.join('/') : (raw ?? '');
    const theme = NAME.test(name) ? await this.previews.get(name).catch(() => null) : null;
    const found = theme && isSafeAssetPath(path) ? theme.asset(path) : null;
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!found) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.sendFile(found.file, { headers: { 'Content-Type': contentType(found.file) } });
  }
}

function contentType(file: string): string {
  const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
  return (
    { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.webp': 'image/webp', '.woff2': 'font/woff2', '.woff': 'font/woff' } as Record<string, string>
  )[ext] ?? 'application/octet-stream';
}
