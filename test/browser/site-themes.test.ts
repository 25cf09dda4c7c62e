import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ThemeService } from '../../src/site/theme.service.js';
import { useBrowserSite } from './support/browser-site.js';
import { seedDemoGallery, type DemoGallery } from './support/demo-gallery.js';
import type { PageGlobals } from './support/page-globals.js';
import { expectAccessible, screenshot } from './support/page-helpers.js';

// Both bundled themes, in a real browser: accessibility (axe-core, light and dark), no horizontal
// scrolling, and screenshots of the main pages at phone, desktop and 4K widths for people to look at.
let g: DemoGallery;
const site = useBrowserSite({ seed: async (t) => void (g = await seedDemoGallery(t)) });
const THEMES = ['default', 'portfolio'] as const;

const pages = () => [
  { name: 'home', path: '/' },
  { name: 'album', path: `/albums/${g.albums.iceland}` },
  { name: 'photo', path: `/photos/${g.photos.iceland[0]}?album=${g.albums.iceland}` },
  { name: 'login', path: '/login' },
];

/** Width the document scrolls beyond the viewport (0 = no horizontal scroll). */
const overflowX = (page: Page) =>
  page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return document.documentElement.scrollWidth - document.documentElement.clientWidth;
  });

async function activate(theme: string): Promise<void> {
  await site.app.app.get(ThemeService).activate(theme);
}

afterAll(async () => {
  await activate('default').catch(() => undefined);
});

describe.each(THEMES)('theme %s', (theme) => {
  it('renders its own stylesheet on every page', async () => {
    await activate(theme);
    const page = await site.newPage();
    for (const { path } of pages()) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      expect(await page.locator(`link[rel="stylesheet"][href^="/assets/${theme}/"]`).count(), path).toBe(1);
    }
  });

  it('has no serious or critical axe-core violations on home, album, photo and login, light and dark', async () => {
    await activate(theme);
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await site.newPage({ colorScheme });
      for (const { name, path } of pages()) {
        await page.goto(path);
        await expectAccessible(page, `${theme} ${name} (${colorScheme})`);
      }
    }
  });

  it('fits phone and desktop widths without horizontal scrolling; screenshots', async () => {
    await activate(theme);
    const suffix = theme === 'default' ? '' : `-${theme}`;
    const all = [...pages(), { name: 'search', path: '/search?q=waterfall' }];
    for (const viewport of ['phone', 'desktop'] as const) {
      const page = await site.newPage({ viewportName: viewport });
      for (const { name, path } of all) {
        await page.goto(path);
        // Images not loaded yet (lazy) already hold their place: no collapsed boxes, no layout jumps.
        const collapsed = await page.evaluate(() => {
          const { document } = globalThis as unknown as PageGlobals;
          return [...document.querySelectorAll('main img')].filter((img: { getBoundingClientRect(): { height: number } }) => img.getBoundingClientRect().height < 1).length;
        });
        expect(collapsed, `${theme} ${name} at ${viewport}: images without a reserved box`).toBe(0);
        await screenshot(page, `${name}${suffix}`, viewport);
        expect(await overflowX(page), `${theme} ${name} at ${viewport}`).toBeLessThanOrEqual(0);
      }
    }
    const dark = await site.newPage({ viewportName: 'desktop', colorScheme: 'dark' });
    for (const { name, path } of [pages()[0]!, pages()[1]!, pages()[2]!]) {
      await dark.goto(path);
      await screenshot(dark, `${name}${suffix}-dark`, 'desktop');
    }
  });

  it('fills a 4K screen on the home and album pages', async () => {
    await activate(theme);
    const suffix = theme === 'default' ? '' : `-${theme}`;
    const page = await site.newPage({ viewportName: 'uhd' });
    for (const { name, path } of [pages()[0]!, pages()[1]!]) {
      await page.goto(path);
      await screenshot(page, `${name}${suffix}`, 'uhd');
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      // Images are chosen from srcset for the screen: nothing blurry is stretched over a 4K row.
      const undersized = await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        return [...document.querySelectorAll('main img')]
          .filter((img: { naturalWidth: number; getBoundingClientRect(): { width: number } }) => img.naturalWidth > 0 && img.naturalWidth < img.getBoundingClientRect().width * 0.75)
          .map((img: { currentSrc: string }) => img.currentSrc);
      });
      expect(undersized, `${theme} ${name}`).toEqual([]);
    }
  });
});
