import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSite } from './support/browser-site.js';
import { seedDemoGallery, type DemoGallery } from './support/demo-gallery.js';
import type { PageGlobals } from './support/page-globals.js';

// The photo viewer (keyboard, lightbox, swipe), pagination without JavaScript and colour schemes.
let g: DemoGallery;
const ARCHIVE = 130; // > 2 pages of the default theme's 60
const site = useBrowserSite({ seed: async (t) => void (g = await seedDemoGallery(t, { archiveCount: ARCHIVE })) });

const photoUrl = (id: number) => `/photos/${id}?album=${g.albums.iceland}`;
const lightboxOpen = (page: Page) => page.evaluate(() => Boolean((globalThis as unknown as PageGlobals).document.querySelector('dialog.lightbox[open]')));
const focused = (page: Page, selector: string) =>
  page.evaluate((s) => {
    const el = (globalThis as unknown as PageGlobals).document.activeElement;
    return Boolean(el && el.matches(s));
  }, selector);
const title = async (page: Page) => (await page.locator('h1').textContent())?.trim();

/** Luminance (0 dark … 1 light) of the page background. */
const backgroundLuminance = (page: Page) =>
  page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
    const [r, gr, b] = (getComputedStyle(document.body).backgroundColor!.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).map(Number);
    return (0.2126 * r! + 0.7152 * gr! + 0.0722 * b!) / 255;
  });

describe('photo viewer', () => {
  it('opens the lightbox from the keyboard, moves with ArrowRight/ArrowLeft, closes with Escape and gives focus back', async () => {
    const page = await site.newPage();
    await page.goto(photoUrl(g.photos.iceland[1]!));
    expect(await title(page)).toBe('Black sand beach');
    await page.focus('[data-lightbox-open]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog.lightbox[open]');
    expect(await focused(page, '.lightbox__close')).toBe(true);
    // Focus stays inside the dialog.
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    expect(await focused(page, 'dialog.lightbox *')).toBe(true);

    await Promise.all([page.waitForURL((u) => u.pathname === `/photos/${g.photos.iceland[2]}`), page.keyboard.press('ArrowRight')]);
    await page.waitForSelector('dialog.lightbox[open]');
    expect(await title(page)).toBe('Reynisdrangar');
    expect(new URL(page.url()).hash).toBe('#view');

    await Promise.all([page.waitForURL((u) => u.pathname === `/photos/${g.photos.iceland[1]}`), page.keyboard.press('ArrowLeft')]);
    await page.waitForSelector('dialog.lightbox[open]');
    expect(await title(page)).toBe('Black sand beach');

    await page.keyboard.press('Escape');
    expect(await lightboxOpen(page)).toBe(false);
    expect(await focused(page, '[data-lightbox-open]')).toBe(true);
    expect(new URL(page.url()).hash).toBe('');

    // Arrow keys also work without the lightbox, and the first photo has no "previous".
    await Promise.all([page.waitForURL((u) => u.pathname === `/photos/${g.photos.iceland[0]}`), page.keyboard.press('ArrowLeft')]);
    expect(await page.locator('[data-nav="prev"]').count()).toBe(0);
  });

  it('closes the lightbox with its button and returns focus to the button that opened it', async () => {
    const page = await site.newPage();
    await page.goto(photoUrl(g.photos.iceland[3]!));
    await page.click('[data-lightbox-trigger]');
    await page.waitForSelector('dialog.lightbox[open]');
    await page.click('.lightbox__close');
    expect(await lightboxOpen(page)).toBe(false);
    expect(await focused(page, '[data-lightbox-trigger]')).toBe(true);
  });

  it('goes to the next and previous photo with a swipe on a touch screen', async () => {
    const context = await site.browser.newContext({ viewportName: 'phone', hasTouch: true, isMobile: true, baseURL: site.baseUrl });
    const page = await context.newPage();
    await page.goto(photoUrl(g.photos.iceland[5]!));
    const cdp = await context.newCDPSession(page);
    const box = (await page.locator('[data-stage]').boundingBox())!;
    const y = box.y + box.height / 2;
    const swipe = async (from: number, to: number) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from, y }] });
      for (let i = 1; i <= 5; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from + ((to - from) * i) / 5, y }] });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    };
    // Wait for the page the swipe leads to (not for one navigation event: the browser may report
    // an aborted navigation on the way, and what the visitor sees is the page they land on).
    const landsOn = async (id: number, expected: string) => {
      await expect.poll(() => new URL(page.url()).pathname, { timeout: 15_000 }).toBe(`/photos/${id}`);
      await page.waitForLoadState('load');
      expect(await title(page)).toBe(expected);
    };
    await swipe(box.x + box.width * 0.85, box.x + box.width * 0.15);
    await landsOn(g.photos.iceland[6]!, 'Fjord road');
    await swipe(box.x + box.width * 0.15, box.x + box.width * 0.85);
    await landsOn(g.photos.iceland[5]!, 'Kirkjufell');
  });
});

describe('pagination', () => {
  it('works without JavaScript: numbered pages, next/previous links, no ?page=1', async () => {
    const page = await site.newPage({ javaScriptEnabled: false });
    await page.goto(`/albums/${g.albums.archive}`);
    const tiles = page.locator('.justified a');
    const perPage = await tiles.count();
    expect(perPage).toBeGreaterThan(0);
    expect(perPage).toBeLessThan(ARCHIVE);
    const firstOnPage1 = await tiles.first().getAttribute('href');
    await page.click('.pagination a[rel="next"]');
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    expect(await tiles.first().getAttribute('href')).not.toBe(firstOnPage1);
    expect(await page.locator('.pagination [aria-current="page"]').textContent()).toBe('2');
    const pages = Math.ceil(ARCHIVE / perPage);
    await page.click(`.pagination a[aria-label="Page ${pages}"]`);
    expect(await tiles.count()).toBe(ARCHIVE - perPage * (pages - 1));
    expect(await page.locator('.pagination a[rel="next"]').count()).toBe(0);
    await page.click('.pagination a[aria-label="Page 1"]');
    expect(new URL(page.url()).search).toBe('');
    expect(await tiles.first().getAttribute('href')).toBe(firstOnPage1);
  });
});

describe('colour schemes', () => {
  it('follows the device preference', async () => {
    const light = await site.newPage({ colorScheme: 'light' });
    await light.goto('/');
    expect(await backgroundLuminance(light)).toBeGreaterThan(0.8);
    const dark = await site.newPage({ colorScheme: 'dark' });
    await dark.goto('/');
    expect(await backgroundLuminance(dark)).toBeLessThan(0.2);
  });

  it('switches with the header toggle and remembers the choice', async () => {
    const page = await site.newPage({ colorScheme: 'light' });
    await page.goto('/');
    await page.click('[data-scheme-toggle]');
    expect(await page.locator('html').getAttribute('data-scheme')).toBe('dark');
    expect(await backgroundLuminance(page)).toBeLessThan(0.2);
    await page.goto(`/albums/${g.albums.iceland}`);
    expect(await backgroundLuminance(page)).toBeLessThan(0.2);
    await page.click('[data-scheme-toggle]');
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.8);
  });
});
