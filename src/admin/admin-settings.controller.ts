import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ThemeService } from '../site/theme.service.js';
import { AdminErrorFilter } from './admin-error.filter.js';
import { formText, parseForm } from './admin-form.js';
import { AdminPageService } from './admin-page.service.js';
import { AdminPolicies } from './admin-policies.js';

/** Site-wide settings the site reads (`SiteContextService`): key in the `settings` table → form field. */
const SITE_KEYS = { site_title: 'title', site_description: 'description', site_locale: 'locale' } as const;

const settingsForm = z.strictObject({
  title: formText(120).pipe(z.string().min(1, 'enter a site title')),
  description: formText(500),
  locale: formText(20).pipe(z.string().regex(/^$|^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as en or fr-FR')),
});

/**
 * `/admin/settings`: the site title, description (the home page's lede and meta description)
 * and language. Text the active theme shows (about, contact) lives in the theme's settings.
 */
@Controller('admin/settings')
@UseFilters(AdminErrorFilter)
@AdminPolicies.settings
export class AdminSettingsController {
  constructor(
    private readonly pages: AdminPageService,
    private readonly dataSource: DataSource,
    private readonly themes: ThemeService,
  ) {}

  @Get()
  async form(@Req() req: Request, @Res() res: Response): Promise<void> {
    const rows: { key: string; value: string | null }[] = await this.dataSource.query(`SELECT key, value #>> '{}' AS value FROM settings WHERE key = ANY($1::text[])`, [Object.keys(SITE_KEYS)]);
    const get = (key: string) => rows.find((r) => r.key === key)?.value ?? '';
    await this.pages.send(req, res, 'settings', 'Settings', {
      values: { title: get('site_title') || 'Vitrine', description: get('site_description'), locale: get('site_locale') || 'en' },
      theme: await this.themes.activeName(),
    });
  }

  @Post()
  async save(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const form = parseForm(settingsForm, body);
    await this.dataSource.transaction(async (em) => {
      for (const [key, field] of Object.entries(SITE_KEYS)) {
        const value = form[field];
        if (value === '') await em.query(`DELETE FROM settings WHERE key = $1`, [key]);
        else
          await em.query(
            `INSERT INTO settings (key, value) VALUES ($1, to_jsonb($2::text)) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
            [key, value],
          );
      }
    });
    this.pages.flash(req, 'success', 'Settings saved.');
    await this.pages.redirect(res, '/admin/settings');
  }
}
