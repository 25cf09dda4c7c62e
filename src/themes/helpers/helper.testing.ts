import Handlebars from 'handlebars';
import { createTranslator, type LocaleDictionary } from '../theme-locale.js';
import { pageContexts } from '../template.resolver.js';
import type { PageView, PhotoCardView, SiteView } from '../theme-view.types.js';
import { registerThemeHelpers } from './helper.registry.js';
import type { RenderData } from './helper.types.js';

/** Test support for helper specs: not used at run time. */

/** Strings that must never reach the output unescaped. */
export const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' onmouseover='alert(1)"] as const;

export function testSite(overrides: Partial<SiteView> = {}): SiteView {
  return {
    title: 'Northern Light',
    description: 'Landscapes from the far north.',
    locale: 'en',
    baseUrl: 'https://photos.example.com/gallery',
    user: null,
    nav: [],
    csrfToken: 'csrf-token',
    settings: {},
    urls: { home: '/gallery/', search: '/gallery/search', tags: '/gallery/tags', login: '/gallery/login', logout: '/gallery/logout', admin: null },
    ...overrides,
  };
}

export function testPhoto(overrides: Partial<PhotoCardView> = {}): PhotoCardView {
  return {
    id: 12,
    title: 'Fjord at dawn',
    alt: 'Fjord at dawn',
    url: '/gallery/photo/12',
    width: 6000,
    height: 4000,
    blur: null,
    takenAt: '2024-06-14T18:30:00+02:00',
    sizes: {
      square: { url: '/gallery/i/12/square.jpg', width: 120, height: 120, crop: true },
      thumb: { url: '/gallery/i/12/thumb.jpg', width: 144, height: 96 },
      medium: { url: '/gallery/i/12/medium.jpg', width: 792, height: 528 },
      large: { url: '/gallery/i/12/large.jpg', width: 1008, height: 672 },
      xxlarge: { url: '/gallery/i/12/xxlarge.jpg', width: 1656, height: 1104 },
    },
    ...overrides,
  };
}

export function testIndexPage(site: SiteView = testSite()): PageView {
  return { context: 'index', site, meta: null, albums: [], recent: [], pagination: null };
}

export interface HarnessOptions {
  dictionaries?: Record<string, LocaleDictionary>;
  assets?: Record<string, string>;
  partials?: Record<string, string>;
}

/** A Handlebars environment with Vitrine's helpers and a logger that records warnings. */
export function helperHarness(options: HarnessOptions = {}) {
  const warnings: string[] = [];
  const hbs = Handlebars.create();
  const assets = options.assets ?? {};
  registerThemeHelpers(hbs, {
    theme: 'test',
    logger: { warn: (message) => warnings.push(message) },
    hbs,
    translate: createTranslator(options.dictionaries ?? {}),
    assetHash: (path) => (Object.hasOwn(assets, path) ? assets[path]! : null),
  });
  for (const [name, source] of Object.entries(options.partials ?? {})) hbs.registerPartial(name, source);
  const render = (source: string, context: unknown = {}, page: PageView = testIndexPage(), extra: Partial<RenderData['vitrine']> = {}) => {
    const data: RenderData = {
      site: page.site,
      custom: {},
      vitrine: { template: 'test.hbs', head: '', foot: '', contexts: pageContexts(page), ...extra },
      root: page,
    };
    return hbs.compile(source)(context, { data });
  };
  return { hbs, warnings, render };
}
