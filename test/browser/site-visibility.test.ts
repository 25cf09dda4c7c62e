import { describe, expect, it } from 'vitest';
import { useBrowserSite } from './support/browser-site.js';
import { SHARE_PASSWORD, seedDemoGallery, type DemoGallery } from './support/demo-gallery.js';
import type { PageGlobals } from './support/page-globals.js';
import { login, screenshot } from './support/page-helpers.js';

// Who sees what, in a real browser: anonymous visitors, a member of the granted group, a member
// without the grant, and a fresh visitor holding a password share link.
let g: DemoGallery;
const site = useBrowserSite({ seed: async (t) => void (g = await seedDemoGallery(t)) });

const imageUrls = (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return [...document.querySelectorAll('img')].map((img: { currentSrc: string; src: string }) => img.currentSrc || img.src).filter((u: string) => u.includes('/media/'));
  });

/** Links and image alt texts of the main content (what a visitor can reach or see). */
const linksAndAlts = (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const main = document.querySelector('main');
    return {
      hrefs: [...main.querySelectorAll('a[href]')].map((a: { getAttribute(n: string): string }) => a.getAttribute('href')),
      alts: [...main.querySelectorAll('img')].map((i: { alt: string }) => i.alt),
      text: main.textContent as string,
    };
  });

describe('public gallery, anonymous', () => {
  it('lists public albums and photos on the home, album and photo pages', async () => {
    const page = await site.newPage();
    await page.goto('/');
    const main = page.locator('main');
    await expect(main.textContent()).resolves.toContain('Iceland');
    await expect(main.textContent()).resolves.toContain('Portraits');
    await main.getByRole('link', { name: /Iceland/ }).first().click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Iceland');
    await expect(page.locator('.justified img').count()).resolves.toBe(15);
    await page.locator('.justified a').first().click();
    await expect(page.locator('h1').textContent()).resolves.toContain('Skógafoss at dawn');
    const broken = await page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      return [...document.images].filter((i: { complete: boolean; naturalWidth: number }) => i.complete && i.naturalWidth === 0).length;
    });
    expect(broken).toBe(0);
  });

  it('never shows the private album: pages, search, sitemap and image URLs', async () => {
    const page = await site.newPage();
    for (const path of ['/', '/search?q=wedding', '/search?q=Confetti', '/tags/wedding']) {
      const response = await page.goto(path);
      const seen = await linksAndAlts(page);
      expect(seen.text, path).not.toContain('Wedding proofs');
      expect(seen.alts, path).not.toContain('Confetti');
      expect(seen.hrefs.some((h) => h.startsWith(`/albums/${g.albums.proofs}`) || g.photos.proofs.some((id) => h.startsWith(`/photos/${id}`))), path).toBe(false);
      if (path === '/search?q=Confetti') expect(seen.alts).toEqual([]);
      if (path === '/tags/wedding') expect(response?.status()).toBe(404);
    }
    expect((await page.goto(`/albums/${g.albums.proofs}`))?.status()).toBe(404);
    expect((await page.goto(`/photos/${g.photos.proofs[0]}`))?.status()).toBe(404);
    const sitemap = await page.request.get('/sitemap.xml');
    const xml = await sitemap.text();
    expect(xml).toContain(`/albums/${g.albums.iceland}`);
    expect(xml).not.toContain(`/albums/${g.albums.proofs}`);
    for (const id of g.photos.proofs) expect(xml).not.toContain(`/photos/${id}"`);

    // The image URLs the client's browser loads are refused to this anonymous one.
    const member = await site.newPage();
    await login(member, g.client.username, g.client.password, `/albums/${g.albums.proofs}`);
    const urls = await imageUrls(member);
    expect(urls.length).toBe(3);
    for (const url of [...urls, `/media/photos/${g.photos.proofs[0]}/original`]) {
      const status = (await page.request.get(url)).status();
      expect([403, 404], url).toContain(status);
    }
  });
});

describe('private album for the granted group', () => {
  it('is visible to a member of the group everywhere the public sees public albums', async () => {
    const page = await site.newPage();
    await login(page, g.client.username, g.client.password);
    await expect(page.locator('main').textContent()).resolves.toContain('Wedding proofs');
    await page.goto(`/albums/${g.albums.proofs}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Wedding proofs');
    await expect(page.locator('.justified img').count()).resolves.toBe(3);
    await page.goto('/search?q=Confetti');
    expect((await linksAndAlts(page)).alts).toContain('Confetti');
    // The sitemap is the guest's, whoever asks.
    expect(await (await page.request.get('/sitemap.xml')).text()).not.toContain(`/albums/${g.albums.proofs}`);
  });

  it('stays hidden from a signed-in member outside the group', async () => {
    const page = await site.newPage();
    await login(page, g.stranger.username, g.stranger.password);
    await expect(page.locator('main').textContent()).resolves.not.toContain('Wedding proofs');
    expect((await page.goto(`/albums/${g.albums.proofs}`))?.status()).toBe(404);
  });
});

describe('share link with a password', () => {
  it('asks for the password in a fresh browser, then shows the album and its photos', async () => {
    for (const viewport of ['phone', 'desktop'] as const) {
      const page = await site.newPage({ viewportName: viewport });
      const response = await page.goto(`/s/${g.shareToken}`);
      expect(response?.status()).toBe(200);
      expect((await linksAndAlts(page)).alts).toEqual([]);
      const password = page.locator('input[type="password"]');
      await expect(password.count()).resolves.toBe(1);
      await screenshot(page, 'share-locked', viewport);

      await password.fill('wrong password');
      await Promise.all([page.waitForLoadState(), password.press('Enter')]);
      await expect(page.locator('[role="alert"]').textContent()).resolves.toMatch(/password/i);

      await page.locator('input[type="password"]').fill(SHARE_PASSWORD);
      await Promise.all([page.waitForURL((u) => u.pathname === `/s/${g.shareToken}`), page.locator('input[type="password"]').press('Enter')]);
      await page.waitForLoadState();
      expect((await linksAndAlts(page)).alts).toEqual(expect.arrayContaining(['First dance', 'Ring exchange', 'Confetti']));
      await screenshot(page, 'share-open', viewport);
      // The share principal opens the photos too, and their images load.
      await page.locator('main a[href*="/photos/"]').first().click();
      await expect(page.locator('h1').textContent()).resolves.toMatch(/First dance|Ring exchange|Confetti/);
      const broken = await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        return [...document.images].filter((i: { complete: boolean; naturalWidth: number }) => i.complete && i.naturalWidth === 0).length;
      });
      expect(broken).toBe(0);
    }
  });
});
