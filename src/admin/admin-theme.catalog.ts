import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import { Errors } from '../common/errors.js';
import { checkTheme } from '../themes/theme.checker.js';
import type { ThemeCheckIssue } from '../themes/theme-check.rules.js';
import { isValidSettingValue, readThemeManifest, type ThemeManifest, type ThemeSetting } from '../themes/theme-manifest.js';
import type { ThemeSettingValue } from '../themes/theme-view.types.js';

const THEME_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** A theme folder as the admin lists it: its manifest (or why it has none) and its `theme:check` result. */
export interface ThemeListing {
  name: string;
  manifest: ThemeManifest | null;
  errors: ThemeCheckIssue[];
  warnings: ThemeCheckIssue[];
}

/** Names of the folders under `themesDir` that look like themes (a package.json). */
export function themeNames(themesDir: string): string[] {
  if (!existsSync(themesDir)) return [];
  return readdirSync(themesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && THEME_NAME.test(d.name) && existsSync(join(themesDir, d.name, 'package.json')))
    .map((d) => d.name)
    .sort();
}

/** Every installed theme, checked (the same `checkTheme` as the CLI and activation). */
export async function listThemes(themesDir: string): Promise<ThemeListing[]> {
  return Promise.all(
    themeNames(themesDir).map(async (name) => {
      const dir = join(themesDir, name);
      const check = await checkTheme(dir);
      const manifest = await readThemeManifest(dir).catch(() => null);
      return { name, manifest, errors: check.errors, warnings: check.warnings };
    }),
  );
}

/** The theme's manifest; 404 for unknown names. */
export async function themeManifest(themesDir: string, name: string): Promise<ThemeManifest> {
  if (!themeNames(themesDir).includes(name)) throw Errors.notFound('theme', name);
  try {
    return await readThemeManifest(join(themesDir, name));
  } catch {
    throw Errors.invalid('theme.manifest_invalid', `Theme "${name}" has an invalid package.json; run vitrine theme:check themes/${name}.`);
  }
}

/**
 * Custom settings from a form: each declared setting, converted by type (checkbox → boolean,
 * number fields → number) and checked with the manifest's rules. Unknown fields are refused.
 */
export function settingsFromForm(custom: Record<string, ThemeSetting>, body: Record<string, unknown>, strict = true): Record<string, ThemeSettingValue> {
  const out: Record<string, ThemeSettingValue> = {};
  const problems: { path: string; message: string }[] = [];
  for (const key of Object.keys(body)) {
    if (!Object.hasOwn(custom, key) && strict) problems.push({ path: key, message: 'not a setting of this theme' });
  }
  for (const [key, setting] of Object.entries(custom)) {
    const raw = body[key];
    let value: unknown;
    if (setting.type === 'boolean') value = raw !== undefined && raw !== '' && raw !== 'false';
    else if (raw === undefined) continue;
    else if (typeof raw !== 'string') value = undefined;
    else if (setting.type === 'number') value = raw.trim() === '' ? undefined : Number(raw);
    else value = setting.type === 'color' ? raw.toLowerCase() : raw.replace(/\u0000/g, '').replace(/\r\n/g, '\n');
    if (value === undefined || !isValidSettingValue(setting, value)) {
      problems.push({ path: key, message: `invalid value for ${setting.label ?? key}` });
      continue;
    }
    out[key] = value;
  }
  if (problems.length && strict) {
    throw Errors.invalid('theme.settings_invalid', `The settings are not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}.`, problems);
  }
  return out;
}

/** Stores a theme's custom settings (`settings["theme_settings.<name>"]`, read by ThemeService). */
export async function saveThemeSettings(em: EntityManager, name: string, values: Record<string, ThemeSettingValue>): Promise<void> {
  await em.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [`theme_settings.${name}`, JSON.stringify(values)],
  );
}

/** Form fields for the settings of a theme, with their current values. */
export function settingFields(custom: Record<string, ThemeSetting>, current: Record<string, ThemeSettingValue>) {
  return Object.entries(custom).map(([key, s]) => {
    const value = current[key] ?? s.default;
    return {
      key,
      id: `setting-${key}`,
      label: s.label ?? key,
      description: s.description ?? null,
      type: s.type,
      value: String(value),
      checked: s.type === 'boolean' && value === true,
      min: s.type === 'number' ? (s.min ?? null) : null,
      max: s.type === 'number' ? (s.max ?? null) : null,
      step: s.type === 'number' ? (s.step ?? null) : null,
      options: s.type === 'select' ? s.options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o)).map((o) => ({ ...o, selected: o.value === value })) : [],
    };
  });
}
