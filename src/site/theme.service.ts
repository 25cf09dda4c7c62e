import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { VitrineError } from '../common/errors.js';
import { LOGGER } from '../common/logger.js';
import { checkTheme } from '../themes/theme.checker.js';
import { ThemeLoader, type Theme, type ThemeLoadOptions } from '../themes/theme.loader.js';
import type { ThemeSettingValue } from '../themes/theme-view.types.js';

/** Injection token (optional): what plugins add to every theme (helpers, partials, templates, head/foot). */
export const THEME_EXTENSIONS = Symbol('THEME_EXTENSIONS');

/** Injection token: the folder holding `themes/<name>/`. */
export const SITE_THEMES_DIR = Symbol('SITE_THEMES_DIR');

/** The theme used when the `settings` table names none (or names one that no longer loads). */
export const DEFAULT_THEME = 'default';

const THEME_NAME = /^[a-z0-9][a-z0-9._-]*$/;
/** How long the active theme's name is trusted before the settings table is read again. */
const NAME_TTL_MS = 5_000;

/**
 * The bundled `themes/` folder: the nearest ancestor of this file that holds
 * `themes/default/package.json` (works from `src/` under vitest and from `dist/src/` in production).
 */
export function findThemesDir(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'themes');
    if (existsSync(join(candidate, DEFAULT_THEME, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return join(process.cwd(), 'themes');
    dir = parent;
  }
}

/**
 * The active theme. Its name lives in the `settings` table under `theme` (a JSON string); its
 * stored custom settings under `theme_settings.<name>` (a JSON object). Themes are compiled once
 * by the {@link ThemeLoader} and kept; activation runs `theme:check` first.
 */
@Injectable()
export class ThemeService {
  private readonly loader: ThemeLoader;
  private cachedName: { name: string; at: number } | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SITE_THEMES_DIR) private readonly themesDir: string,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(THEME_EXTENSIONS) extensions?: Omit<ThemeLoadOptions, 'logger'>,
  ) {
    this.loader = new ThemeLoader(themesDir, { ...extensions, logger: { warn: (message) => this.logger.warn(message) } });
  }

  /** Name of the active theme (from settings, default `default`). */
  async activeName(): Promise<string> {
    if (this.cachedName && Date.now() - this.cachedName.at < NAME_TTL_MS) return this.cachedName.name;
    const rows: { name: string | null }[] = await this.dataSource.query(`SELECT value #>> '{}' AS name FROM settings WHERE key = 'theme'`);
    const stored = rows[0]?.name;
    const name = stored && THEME_NAME.test(stored) ? stored : DEFAULT_THEME;
    this.cachedName = { name, at: Date.now() };
    return name;
  }

  /** The active theme, compiled and cached. Falls back to the default theme when it fails to load. */
  async active(): Promise<Theme> {
    const name = await this.activeName();
    try {
      return await this.loader.get(name);
    } catch (error) {
      if (name === DEFAULT_THEME) throw error;
      this.logger.error({ err: error, theme: name }, 'active theme failed to load; using the default theme');
      return this.loader.get(DEFAULT_THEME);
    }
  }

  /**
   * Checks and activates a theme. Refuses with `theme.check_failed` (400) listing the rule codes
   * when `theme:check` reports errors, and `theme.not_found` (404) for an unknown name.
   */
  async activate(name: string): Promise<Theme> {
    if (!THEME_NAME.test(name) || name.includes('..') || !existsSync(join(this.themesDir, name))) {
      throw new VitrineError('not_found', 'theme.not_found', `There is no theme named "${name.slice(0, 60)}".`);
    }
    const result = await checkTheme(join(this.themesDir, name));
    if (result.errors.length > 0) {
      const codes = [...new Set(result.errors.map((e) => e.code))];
      throw new VitrineError(
        'invalid',
        'theme.check_failed',
        `Theme "${name}" has ${result.errors.length} error(s): ${codes.join(', ')}.`,
        result.errors.map((e) => ({ path: e.code, message: `${e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : ''}${e.message}` })),
      );
    }
    this.loader.invalidate(name);
    const theme = await this.loader.get(name);
    await this.dataSource.query(
      `INSERT INTO settings (key, value) VALUES ('theme', to_jsonb($1::text))
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [name],
    );
    this.cachedName = { name, at: Date.now() };
    return theme;
  }

  /** Stored custom settings of a theme (the loader applies defaults and drops invalid values). */
  async storedSettings(name: string): Promise<Record<string, ThemeSettingValue>> {
    const rows: { value: unknown }[] = await this.dataSource.query(`SELECT value FROM settings WHERE key = $1`, [`theme_settings.${name}`]);
    const value = rows[0]?.value;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    const out: Record<string, ThemeSettingValue> = {};
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = v;
    }
    return out;
  }
}
