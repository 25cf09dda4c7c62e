import type Handlebars from 'handlebars';
import type { PageView, SiteView, ThemeSettingValue } from '../theme-view.types.js';

/** Where helpers (and the loader) report theme problems. pino's `logger.warn` fits via an adapter. */
export interface ThemeLogger {
  warn(message: string, details?: Record<string, unknown>): void;
}

/** A translation: a string, or plural forms chosen with `Intl.PluralRules` (`other` is required). */
export type LocaleEntry = string | ({ other: string } & Partial<Record<'zero' | 'one' | 'two' | 'few' | 'many', string>>);

/** What helpers may use beyond the template data; one per loaded theme. */
export interface HelperEnv {
  /** Theme id (its directory name), used in asset URLs and warnings. */
  theme: string;
  logger: ThemeLogger;
  /** The Handlebars environment of the theme (to look up partials). */
  hbs: typeof Handlebars;
  /** Content hash of `assets/<path>`, or null when there is no such file. */
  assetHash(path: string): string | null;
  /** Looks `key` up for `locale` with fallback (`fr-CA` → `fr` → `en`); undefined when missing. */
  translate(locale: string, key: string): { entry: LocaleEntry; locale: string } | undefined;
}

/** Per-render values the loader puts in Handlebars' `@data` (read them as `@site`, `@custom`). */
export interface RenderData {
  site: SiteView;
  /** Effective theme settings (stored values or defaults). */
  custom: Record<string, ThemeSettingValue>;
  /** Internal values for helpers; not part of the theme contract. */
  vitrine: {
    /** Template being rendered, for warnings. */
    template: string;
    /** HTML from `site.head` providers (plugins). */
    head: string;
    /** HTML from `site.foot` providers (plugins). */
    foot: string;
    /** Contexts `{{#is}}` tests against, e.g. `["album", "paged"]`. */
    contexts: string[];
  };
  root: PageView;
}

/** The options object Handlebars passes as a helper's last argument. */
export interface HelperOptions extends Handlebars.HelperOptions {
  name: string;
  data: RenderData & Record<string, unknown>;
  loc?: { start: { line: number; column: number } };
}

/** Builds one helper for one theme. */
export type HelperFactory = (env: HelperEnv) => Handlebars.HelperDelegate;
