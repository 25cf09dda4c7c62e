import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePages, XSS_ATTR, XSS_SCRIPT } from '../../test/fixtures/themes/pages.fixture.js';
import { loadTheme } from './theme.loader.js';
import type { PageView } from './theme-view.types.js';

/**
 * Smoke test: every page of both bundled themes renders from realistic view models that carry
 * hostile strings, with no unescaped markup from data, with landmarks, alt texts and the links
 * the page must offer, and without a single helper warning.
 */
const THEMES = ['default', 'portfolio'];
const ROOT = resolve(import.meta.dirname, '../..');
const pages = fixturePages();

function expectedLinks(page: PageView): string[] {
  switch (page.context) {
    case 'index':
      return page.albums.map((a) => a.url);
    case 'album':
      return [...page.album.photos.map((p) => p.url), ...page.album.albums.map((a) => a.url), page.album.pagination?.nextUrl ?? ''].filter(Boolean);
    case 'photo':
      return [page.photo.prev?.url, page.photo.next?.url, page.photo.downloadUrl, ...page.photo.tags.map((t) => t.url)].filter((u): u is string => !!u);
    case 'search':
      return [...page.search.photos.map((p) => p.url), ...page.search.albums.map((a) => a.url)];
    case 'tag':
      return [...page.tag.photos.map((p) => p.url), page.tag.pagination?.prevUrl ?? ''].filter(Boolean);
    case 'share':
      return page.share.locked ? [page.share.passwordForm!.action] : [page.share.downloadAllUrl!, ...page.share.album!.photos.map((p) => p.url)];
    case 'login':
      return [page.login.action];
    default:
      return [page.site.urls.home];
  }
}

const attr = (url: string) => url.replace(/&/g, '&amp;').replace(/=/g, '&#x3D;');

describe.each(THEMES)('theme %s', (name) => {
  it.each(Object.keys(pages))('renders %s safely and completely', async (key) => {
    const warnings: string[] = [];
    const theme = await loadTheme(join(ROOT, 'themes', name), { logger: { warn: (m) => warnings.push(m) } });
    const page = pages[key]!;
    const html = await theme.renderPage(page);

    // Nothing from data arrives as markup.
    expect(html).not.toContain(XSS_SCRIPT);
    expect(html).not.toContain(XSS_ATTR);
    const ld = html.match(/<script type="application\/ld\+json">(.*?)<\/script>/)?.[1] ?? '';
    expect(ld).not.toMatch(/[<>]/);
    expect(html.replace(ld, '')).not.toMatch(/<img src=x|onerror=|<script>alert/i);
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/src="\/gallery\/assets\/|type="application\/ld\+json"/);

    // Landmarks and document basics.
    expect(html).toMatch(/^<!doctype html>\s*<html lang="en"/);
    expect(html).toMatch(/<header\b/);
    expect(html).toMatch(/<main\b[^>]*id="[a-z]+"/);
    expect(html).toMatch(/<footer\b/);
    expect(html).toMatch(/<nav\b[^>]*aria-label=/);
    expect(html).toMatch(/<a class="skip[^"]*" href="#/);
    expect(html.match(/<h1\b/g) ?? []).toHaveLength(1);

    // Every image has an alt attribute; photos have their text alternative.
    for (const img of html.match(/<img\b[^>]*>/g) ?? []) expect(img).toMatch(/\balt="/);
    if (page.context === 'photo') expect(html).toContain(`alt="${page.photo.alt.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`);
    if (key === 'album') expect(html).toContain('alt="Photo 7"');

    for (const url of expectedLinks(page)) expect(html, url).toMatch(new RegExp(`(href|action)="${attr(url).replace(/[.?*+^$()[\]{}|\\]/g, '\\$&')}"`));
    if (page.context === 'photo' && page.photo.downloadUrl === null) expect(html).not.toContain(' download>');
    expect(warnings).toEqual([]);
  });

  it('renders in French where the theme has translations and formats dates for it', async () => {
    const theme = await loadTheme(join(ROOT, 'themes', name), { logger: { warn: (m) => { throw new Error(m); } } });
    const photo = fixturePages({ locale: 'fr' }).photo!;
    const html = await theme.renderPage(photo);
    expect(html).toContain('lang="fr"');
    if (name === 'default') expect(html).toContain('Photo 4 sur 48');
  });
});
