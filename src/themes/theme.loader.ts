import { basename, join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { BUILTIN_TEMPLATES, fallbackErrorDocument } from './builtin-pages.js';
import { registerThemeHelpers } from './helpers/helper.registry.js';
import type { RenderData, ThemeLogger } from './helpers/helper.types.js';
import type { PageInjection } from '../hooks/hook-payloads.js';
import { renderPageInjections } from './page-injection.renderer.js';
import { createTranslator, LOCALE_FILE, parseLocaleFile, type LocaleDictionary } from './theme-locale.js';
import { readThemeFiles } from './theme-files.reader.js';
import { readThemeManifest, resolveThemeSettings, VITRINE_VERSION, type ThemeManifest } from './theme-manifest.js';
import { pageContexts, resolveTemplate, templateNameForPage, type ResolvedTemplate } from './template.resolver.js';
import type { ErrorPageView, PageView, ThemeSettingValue } from './theme-view.types.js';

/** Templates every theme must have. */
export const REQUIRED_TEMPLATES = ['default', 'index', 'album', 'photo'] as const;

/**
 * Supplies an injection point (`{{head}}`, `{{foot}}`) for a page: the site runs the `site.head` /
 * `site.foot` filters here. Structured items are escaped; a string is trusted HTML.
 */
export type InjectionProvider = (page: PageView) => string | readonly PageInjection[] | Promise<string | readonly PageInjection[]>;

/** A plugin helper: a plain Handlebars helper function. */
export type PluginHelper = (...args: any[]) => unknown;

/** Options of {@link loadTheme}. */
export interface ThemeLoadOptions {
  /** Receives helper and settings warnings. Defaults to `console.warn`. */
  logger?: ThemeLogger;
  /** Version checked against `engines.vitrine` (default {@link VITRINE_VERSION}). */
  vitrineVersion?: string;
  /** Plugin helpers by full name (`film-roll:badge`); they cannot replace built-in helpers. */
  helpers?: Record<string, PluginHelper>;
  /** Plugin partials by name (`film-roll/card`); the theme's own partials win. */
  partials?: Record<string, string>;
  /** Plugin templates by name (`film-roll/roll`), rendered inside the theme's layout. */
  templates?: Record<string, string>;
  /** `site.head` filter: HTML for `{{head}}`. */
  head?: InjectionProvider;
  /** `site.foot` filter: HTML for `{{foot}}`. */
  foot?: InjectionProvider;
}

/** Thrown when a theme cannot be loaded; the message names the file (and line). */
export class ThemeLoadError extends Error {
  constructor(
    readonly theme: string,
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(`Theme "${theme}": ${message}${file ? ` (${file}${line ? `:${line}` : ''})` : ''}`);
    this.name = 'ThemeLoadError';
  }
}

/** Thrown by {@link Theme.render} when a template fails at run time. */
export class ThemeRenderError extends Error {
  constructor(
    readonly theme: string,
    readonly template: string,
    override readonly cause: unknown,
  ) {
    super(`Theme "${theme}" failed to render "${template}": ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ThemeRenderError';
  }
}

/** Options of {@link Theme.render}. */
export interface RenderOptions {
  /** Wrap the page in `default.hbs` (default true). False returns the body alone. */
  layout?: boolean;
}

/** A loaded, compiled theme. Safe to share between requests. */
export interface Theme {
  /** Directory name, used in asset URLs. */
  readonly id: string;
  readonly dir: string;
  readonly manifest: ThemeManifest;
  /** Names of the page templates (without `.hbs`). */
  readonly templates: ReadonlySet<string>;
  /** Which template (or built-in page) `name` resolves to. */
  resolve(name: string): ResolvedTemplate | null;
  /** Renders `name` (with fallback) for `page`, inside the layout unless `layout: false`. */
  render(name: string, page: PageView, options?: RenderOptions): Promise<string>;
  /** Renders the most specific template for the page (`album-<slug>`, `error-<status>`...). */
  renderPage(page: PageView, options?: RenderOptions): Promise<string>;
  /** Renders an error page and never throws: falls back to a built-in document. */
  renderError(page: ErrorPageView): Promise<string>;
  /** Effective settings: stored values when valid, else defaults. */
  settings(stored: Record<string, unknown> | null | undefined): Record<string, ThemeSettingValue>;
  /** The file behind `/assets/<id>/<path>` and its content hash, or null (for the asset route). */
  asset(path: string): { file: string; hash: string } | null;
}

const consoleLogger: ThemeLogger = { warn: (message) => console.warn(message) };

function parseOrThrow(id: string, hbs: typeof Handlebars, source: string, file: string): void {
  try {
    hbs.parse(source);
  } catch (error) {
    const e = error as Error & { lineNumber?: number };
    throw new ThemeLoadError(id, `syntax error: ${e.message.split('\n')[0]}`, file, e.lineNumber);
  }
}

/**
 * Loads the theme in `dir`: validates its manifest, parses every template, registers partials
 * and helpers in a Handlebars environment of its own, reads locales and fingerprints assets.
 * Throws {@link ThemeLoadError} or `ThemeManifestError` when the theme cannot work.
 */
export async function loadTheme(dir: string, options: ThemeLoadOptions = {}): Promise<Theme> {
  const root = resolve(dir);
  const id = basename(root);
  const logger = options.logger ?? consoleLogger;
  const manifest = await readThemeManifest(root, options.vitrineVersion ?? VITRINE_VERSION);
  const files = await readThemeFiles(root);
  for (const name of REQUIRED_TEMPLATES) {
    if (!files.templates.has(name)) throw new ThemeLoadError(id, `missing required template ${name}.hbs`, join(root, `${name}.hbs`));
  }

  const dictionaries: Record<string, LocaleDictionary> = {};
  for (const [name, { file, text }] of files.locales) {
    const tag = LOCALE_FILE.exec(name)?.[1];
    const parsed = parseLocaleFile(text);
    if (!tag || !parsed.ok) throw new ThemeLoadError(id, `invalid locale: ${parsed.ok ? 'bad file name' : parsed.problem}`, file);
    dictionaries[tag] = parsed.dictionary;
  }

  const hbs = Handlebars.create();
  const translate = createTranslator(dictionaries);
  registerThemeHelpers(
    hbs,
    { theme: id, logger, hbs, translate, assetHash: (path) => files.assets.get(path)?.hash ?? null },
    options.helpers,
  );
  const compile = (source: string, file: string) => {
    parseOrThrow(id, hbs, source, file);
    return hbs.compile(source, { preventIndent: true });
  };
  for (const [name, source] of Object.entries(options.partials ?? {})) {
    if (!files.partials.has(name)) hbs.registerPartial(name, compile(source, `plugin partial ${name}`));
  }
  for (const [name, { file, source }] of files.partials) hbs.registerPartial(name, compile(source, file));
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const [name, { file, source }] of files.templates) compiled.set(name, compile(source, file));
  for (const [name, source] of Object.entries(options.templates ?? {})) {
    if (!name.includes('/')) throw new ThemeLoadError(id, `plugin template "${name}" must be namespaced as <plugin>/<name>`);
    // The plugin's template is the fallback: a theme that ships `<plugin>/<name>.hbs` wins.
    if (!compiled.has(name)) compiled.set(name, compile(source, `plugin template ${name}`));
  }
  const builtins = new Map(Object.entries(BUILTIN_TEMPLATES).map(([n, s]) => [n, hbs.compile(s, { preventIndent: true })]));
  const names = new Set(compiled.keys());
  names.delete('default');

  const settings = (stored: Record<string, unknown> | null | undefined) =>
    resolveThemeSettings(manifest, stored, (key) => logger.warn(`[theme ${id}] setting "${key}" has an invalid stored value; using the default`));

  async function render(name: string, page: PageView, renderOptions: RenderOptions = {}): Promise<string> {
    const resolved = resolveTemplate(name, names);
    if (!resolved) throw new ThemeRenderError(id, name, new Error('no template matches'));
    const template = resolved.kind === 'theme' ? compiled.get(resolved.name)! : builtins.get(resolved.name)!;
    const label = resolved.kind === 'theme' ? `${resolved.name}.hbs` : `built-in ${resolved.name}`;
    const inject = async (provider: InjectionProvider | undefined) => {
      const value = provider ? await provider(page) : '';
      return typeof value === 'string' ? value : renderPageInjections(value);
    };
    const [head, foot] = await Promise.all([inject(options.head), inject(options.foot)]);
    const data: RenderData = {
      site: page.site,
      custom: settings(page.site.settings),
      vitrine: { template: label, head, foot, contexts: pageContexts(page) },
      root: page,
    };
    let step = label;
    try {
      const body = template(page, { data: { ...data } });
      if (renderOptions.layout === false) return body;
      step = 'default.hbs';
      data.vitrine = { ...data.vitrine, template: step };
      return compiled.get('default')!({ ...page, body }, { data: { ...data } });
    } catch (error) {
      throw new ThemeRenderError(id, step, error);
    }
  }

  return {
    id,
    dir: root,
    manifest,
    templates: names,
    resolve: (name) => resolveTemplate(name, names),
    render,
    renderPage: (page, renderOptions) => render(templateNameForPage(page), page, renderOptions),
    async renderError(page) {
      try {
        return await render(templateNameForPage(page), page);
      } catch (error) {
        logger.warn(`[theme ${id}] error page failed, using the built-in one: ${(error as Error).message}`);
        return fallbackErrorDocument(page.error, page.site);
      }
    },
    settings,
    asset: (path) => files.assets.get(path) ?? null,
  };
}

/**
 * Loads themes from one folder (`themes/<name>/`) on first use and keeps them. Concurrent
 * requests for the same theme share one load; a failed load is not cached.
 */
export class ThemeLoader {
  private readonly cache = new Map<string, Promise<Theme>>();

  constructor(
    private readonly themesDir: string,
    private readonly options: ThemeLoadOptions = {},
  ) {}

  /** The theme called `name` (a directory name under the themes folder). */
  get(name: string): Promise<Theme> {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(name) || name.includes('..')) {
      return Promise.reject(new ThemeLoadError(name, 'invalid theme name'));
    }
    let pending = this.cache.get(name);
    if (!pending) {
      pending = loadTheme(join(this.themesDir, name), this.options);
      const current = pending;
      current.catch(() => {
        if (this.cache.get(name) === current) this.cache.delete(name);
      });
      this.cache.set(name, pending);
    }
    return pending;
  }

  /** Forgets one theme (after an update) or all of them. */
  invalidate(name?: string): void {
    if (name === undefined) this.cache.clear();
    else this.cache.delete(name);
  }
}
