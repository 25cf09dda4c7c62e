import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePages } from '../../test/fixtures/themes/pages.fixture.js';
import { ThemeManifestError } from './theme-manifest.js';
import { loadTheme, ThemeLoader, ThemeLoadError } from './theme.loader.js';
import { resolveTemplate, templateCandidates } from './template.resolver.js';
import type { AlbumPageView, ErrorPageView } from './theme-view.types.js';

const FIXTURES = resolve(import.meta.dirname, '../../test/fixtures/themes');
const pages = fixturePages();
const quiet = () => {
  const warnings: string[] = [];
  return { warnings, logger: { warn: (m: string) => warnings.push(m) } };
};

describe('template fallback', () => {
  it('walks from the most specific template to the generic one', () => {
    expect(templateCandidates('album-paris')).toEqual(['album-paris', 'album', 'index']);
    expect(templateCandidates('error-404')).toEqual(['error-404', 'error', { builtin: 'error' }]);
    expect(templateCandidates('search')).toEqual(['search', 'index']);
    expect(templateCandidates('film-roll/roll')).toEqual(['film-roll/roll']);
    expect(templateCandidates('../secret')).toEqual([]);
    const has = new Set(['index', 'album', 'photo']);
    expect(resolveTemplate('album-paris', has)).toEqual({ kind: 'theme', name: 'album' });
    expect(resolveTemplate('tag-x', has)).toEqual({ kind: 'theme', name: 'index' });
    expect(resolveTemplate('error-500', has)).toEqual({ kind: 'builtin', name: 'error' });
    expect(resolveTemplate('login', has)).toEqual({ kind: 'builtin', name: 'login' });
  });
});

describe('loadTheme', () => {
  const album = pages.album as AlbumPageView;

  it('renders a page into the layout, with album-<slug> and error-<status> fallbacks', async () => {
    const { warnings, logger } = quiet();
    const theme = await loadTheme(join(FIXTURES, 'minimal'), { logger });
    const plain = await theme.renderPage(album);
    expect(plain).toMatch(/^<!doctype html><html lang="en"><head><title>Lofoten · Northern Light<\/title>/);
    expect(plain).toContain('<main><h1 style="color: #336699">Lofoten</h1>');
    const special = await theme.renderPage({ ...album, album: { ...album.album, slug: 'special' } });
    expect(special).toContain('<h1 class="special">');
    const notFound = await theme.renderPage(pages['error-404']!);
    expect(notFound).toContain('<p class="nf">Nothing lives at this address &lt;script&gt;');
    const serverError = await theme.renderPage(pages['error-500']!);
    expect(serverError).toContain('vitrine-builtin vitrine-error');
    const login = await theme.renderPage(pages.login!);
    expect(login).toContain('name="_csrf" value="csrf-0123456789"');
    expect(warnings).toEqual([]);
  });

  it('applies stored settings over defaults and ignores invalid ones', async () => {
    const { warnings, logger } = quiet();
    const theme = await loadTheme(join(FIXTURES, 'minimal'), { logger });
    const site = { ...album.site, settings: { accent: '#ff0000' } };
    expect(await theme.renderPage({ ...album, site })).toContain('color: #ff0000');
    const bad = { ...album.site, settings: { accent: 'red;}</style>' } };
    expect(await theme.renderPage({ ...album, site: bad })).toContain('color: #336699');
    expect(warnings.join()).toContain('setting "accent" has an invalid stored value');
  });

  it('injects head/foot providers: structured items escaped, strings as they are', async () => {
    const theme = await loadTheme(join(FIXTURES, 'minimal'), {
      foot: () => [
        { kind: 'script', src: '/plugins/x.js', defer: true },
        { kind: 'meta', name: 'x', content: '"><script>' },
        { kind: 'link', rel: 'me', href: 'javascript:alert(1)' },
      ],
    });
    const html = await theme.renderPage(album);
    expect(html).toContain('<script src="/plugins/x.js" defer></script>\n<meta name="x" content="&quot;&gt;&lt;script&gt;">');
    expect(html).not.toContain('javascript:');
  });

  it('renders plugin templates and serves fingerprinted assets only from assets/', async () => {
    const theme = await loadTheme(join(FIXTURES, 'minimal'), {
      templates: { 'film-roll/roll': '<p>{{title}} {{film-roll:badge}}</p>' },
      helpers: { 'film-roll:badge': () => 'HP5' },
    });
    const html = await theme.render('film-roll/roll', { context: 'plugin', plugin: 'film-roll', title: 'Rolls', data: {}, site: album.site, meta: null });
    expect(html).toContain('<main><p>Rolls HP5</p></main>');
    expect(theme.asset('css/a.css')?.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(theme.asset('../package.json')).toBeNull();
  });

  it('never throws from renderError, even when the theme or a plugin breaks', async () => {
    const { warnings, logger } = quiet();
    const theme = await loadTheme(join(FIXTURES, 'minimal'), { logger, head: () => Promise.reject(new Error('plugin down')) });
    const page = { ...(pages['error-500'] as ErrorPageView), error: { status: 500, title: 'Oops', message: '<b>x</b>' } };
    const html = await theme.renderError(page);
    expect(html).toContain('<h1>Oops</h1>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(warnings.join()).toContain('plugin down');
  });

  it('refuses broken themes with the file and line', async () => {
    await expect(loadTheme(join(FIXTURES, 'template-syntax'))).rejects.toThrow(ThemeLoadError);
    await expect(loadTheme(join(FIXTURES, 'template-syntax'))).rejects.toThrow(/album\.hbs/);
    await expect(loadTheme(join(FIXTURES, 'template-missing'))).rejects.toThrow(/photo\.hbs/);
    await expect(loadTheme(join(FIXTURES, 'engine-range'))).rejects.toThrow(ThemeManifestError);
    await expect(loadTheme(join(FIXTURES, 'locale-invalid'))).rejects.toThrow(/invalid locale/);
  });

  it('caches loads in ThemeLoader and rejects odd names', async () => {
    const loader = new ThemeLoader(FIXTURES);
    const [a, b] = await Promise.all([loader.get('minimal'), loader.get('minimal')]);
    expect(a).toBe(b);
    loader.invalidate('minimal');
    expect(await loader.get('minimal')).not.toBe(a);
    await expect(loader.get('../themes')).rejects.toThrow(/invalid theme name/);
  });
});
