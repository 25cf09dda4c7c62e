import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { GrantService } from '../../src/access/grant.service.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { GroupService } from '../../src/groups/group.service.js';
import { ThemeService } from '../../src/site/theme.service.js';
import { useBrowserSite } from './support/browser-site.js';
import { createUser, ingestPhotos, landscapeJpeg, type SeededUser } from './support/gallery-seed.js';
import type { PageGlobals } from './support/page-globals.js';
import { expectAccessible, login, screenshot } from './support/page-helpers.js';

// The admin interface in Chromium: the acceptance flows of issue #7 (admin part), with screenshots
// of every page at phone and desktop widths in test-artifacts/screenshots/admin-*.png.
let admin: SeededUser;
let client: SeededUser;
let groupId: number;
const site = useBrowserSite({
  seed: async (t) => {
    admin = await createUser(t, 'ada', { role: 'admin' });
    client = await createUser(t, 'gina', { role: 'member' });
    const group = await t.app.get(GroupService).create({ name: 'Smith family' });
    groupId = group.id;
    await t.app.get(GroupService).addMembers(group.id, [client.id]);
    const albums = t.app.get(AlbumService);
    const portfolio = await albums.create({ name: 'Portfolio', description: 'Selected work' });
    await ingestPhotos(t, [portfolio.id], [{ title: 'Fjord at dawn' }, { title: 'Harbour lights' }], admin.principal);
  },
});

async function adminPage(viewport: 'phone' | 'desktop' = 'desktop', next = '/admin'): Promise<Page> {
  const page = await site.newPage({ viewportName: viewport });
  await login(page, admin.username, admin.password, next);
  return page;
}

/** Full-page screenshots of the current page at both widths. */
async function shots(page: Page, name: string): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await screenshot(page, `admin-${name}`, 'desktop');
  await screenshot(page, `admin-${name}`, 'phone');
  // Nothing may make the page scroll sideways on a phone (wide tables scroll inside their card).
  const width = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth);
  expect(width, `${name}: page wider than the phone screen`).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Clicks a form's submit button and waits for the page the POST redirects to. */
async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'GET' && r.request().redirectedFrom()?.method() === 'POST'),
    page.click(selector),
  ]);
  await page.waitForLoadState('domcontentloaded');
}

async function flash(page: Page): Promise<string> {
  return ((await page.locator('.flash').first().textContent()) ?? '').trim();
}

describe('admin in the browser', () => {
  it('logs in through the form and lands on the dashboard; a member gets 403', async () => {
    const page = await site.newPage();
    await page.goto('/admin');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name="username"]', admin.username);
    await page.fill('input[name="password"]', admin.password);
    await page.click('form[action^="/login"] [type="submit"]');
    await page.waitForURL((u) => u.pathname === '/admin');
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard');
    await expect(page.locator('[data-stat="photos"]').textContent()).resolves.toBe('2');
    await expectAccessible(page, 'admin dashboard');
    await shots(page, 'dashboard');

    const other = await site.newPage();
    await login(other, client.username, client.password);
    const res = await other.goto('/admin');
    expect(res?.status()).toBe(403);
  });

  it('creates nested albums and reorders them by drag and drop and with the keyboard buttons', async () => {
    const page = await adminPage('desktop', '/admin/albums');
    for (const name of ['Weddings', 'Landscapes']) {
      await page.fill('#album-name', name);
      await submit(page, '#new-album button[type="submit"]');
      expect(await flash(page)).toContain(`Album “${name}” created.`);
    }
    await page.fill('#album-name', 'Smith & Jones, June');
    await page.selectOption('#album-parent', { label: 'Weddings' });
    await page.locator('#new-album input[value="public"]').check();
    await submit(page, '#new-album button[type="submit"]');
    const nested = page.locator('.tree__item:has(> .tree__row a:text-is("Weddings")) .tree--nested .tree__name');
    await expect(nested.first().textContent()).resolves.toBe('Smith & Jones, June');

    const albums = site.app.app.get(AlbumService);
    const names = async () => (await albums.children(null)).map((a) => a.name);
    expect(await names()).toEqual(['Portfolio', 'Weddings', 'Landscapes']);
    // Keyboard alternative: focus "Landscapes"'s up button and press Enter.
    await page.locator('#album-' + (await albums.children(null))[2]!.id + ' > .tree__row button[data-shift="up"]').focus();
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/shift')), page.keyboard.press('Enter')]);
    await page.waitForLoadState();
    await expect.poll(names).toEqual(['Portfolio', 'Landscapes', 'Weddings']);
    // Drag and drop: "Weddings" onto "Portfolio" puts it first; the order is saved at once.
    const top = await albums.children(null);
    const saved = page.waitForResponse((r) => r.url().endsWith('/admin/albums/order') && r.status() === 200);
    await page.locator(`#album-${top[2]!.id} > .tree__row`).dragTo(page.locator(`#album-${top[0]!.id} > .tree__row`));
    await saved;
    expect(await names()).toEqual(['Weddings', 'Portfolio', 'Landscapes']);
    await page.reload();
    await expectAccessible(page, 'admin albums');
    await shots(page, 'albums');
  });

  it('uploads three photos with per-file progress over tus', async () => {
    const page = await adminPage('desktop', '/admin/photos');
    const weddings = (await site.app.app.get(AlbumService).children(null)).find((a) => a.name === 'Weddings')!;
    const child = (await site.app.app.get(AlbumService).children(weddings.id))[0]!;
    await page.selectOption('#upload-album', String(child.id));
    // Record every progress value each row shows, and which endpoint the bytes go to.
    await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals & { __progress: Record<string, string[]>; MutationObserver: new (cb: (m: { target: { getAttribute(n: string): string | null; querySelector(s: string): { textContent: string } | null } }[]) => void) => { observe(n: unknown, o: unknown): void } };
      g.__progress = {};
      new g.MutationObserver((mutations) => {
        for (const m of mutations) {
          const name = m.target.querySelector('.upload__name')?.textContent ?? '?';
          (g.__progress[name] ??= []).push(m.target.getAttribute('data-progress') ?? '');
        }
      }).observe(g.document.querySelector('[data-upload-list]'), { subtree: true, attributes: true, attributeFilter: ['data-progress'] });
    });
    const tusPatches: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PATCH' && r.url().includes('/api/v1/uploads/tus/')) tusPatches.push(r.url());
    });
    const files = await Promise.all([11, 12, 13].map(async (seed) => ({ name: `june-${seed}.jpg`, mimeType: 'image/jpeg', buffer: await landscapeJpeg(seed) })));
    await page.setInputFiles('#upload-files', files);
    await page.waitForFunction(() => {
      const { document } = globalThis as unknown as PageGlobals;
      return document.querySelectorAll('[data-upload-item][data-state="done"]').length === 3;
    }, undefined, { timeout: 60_000 });
    const progress = (await page.evaluate(() => (globalThis as unknown as { __progress: Record<string, string[]> }).__progress)) as Record<string, string[]>;
    expect(Object.keys(progress).sort()).toEqual(['june-11.jpg', 'june-12.jpg', 'june-13.jpg']);
    for (const values of Object.values(progress)) expect(values.at(-1)).toBe('100');
    expect(tusPatches.length).toBeGreaterThanOrEqual(3);
    await expect(page.locator('[data-upload-summary]').textContent()).resolves.toContain('3 of 3 uploaded');
    await shots(page, 'upload-done');
    expect((await site.app.app.get(AlbumService).get(child.id)).photoCount).toBe(3);

    await page.click('[data-upload-summary] a');
    await page.waitForURL(`**/admin/photos?album=${child.id}`);
    expect(await page.locator('.photo-card').count()).toBe(3);
    await page.locator('.photo-card__select').first().check();
    await expect(page.locator('[data-selected-count]').textContent()).resolves.toBe('1 photo selected');
    await expectAccessible(page, 'admin photos');
    await shots(page, 'photos');
    await page.locator('.photo-card__title').first().click();
    await page.waitForURL(/\/admin\/photos\/\d+$/);
    await shots(page, 'photo');
  });

  it('makes an album private and grants it to a group: anonymous visitors get 404, a group member sees it', async () => {
    const albums = site.app.app.get(AlbumService);
    const weddings = (await albums.children(null)).find((a) => a.name === 'Weddings')!;
    const page = await adminPage('desktop', `/admin/albums/${weddings.id}`);
    await page.locator('input[name="status"][value="private"]').check();
    await submit(page, 'form[action$="/admin/albums/' + weddings.id + '"] button[type="submit"]');
    expect(await flash(page)).toContain('Album saved.');
    await page.selectOption('#grant-group', String(groupId));
    await submit(page, '#access button[type="submit"]:text("Grant access")');
    await expect(page.locator('#access .chip').first().textContent()).resolves.toContain('Group: Smith family');
    expect((await albums.get(weddings.id)).status).toBe('private');
    expect(await site.app.app.get(GrantService).list(weddings.id)).toEqual({ userIds: [], groupIds: [groupId] });
    await expectAccessible(page, 'admin album');
    await shots(page, 'album');

    const anonymous = await site.newPage();
    expect((await anonymous.goto(`/albums/${weddings.id}`))?.status()).toBe(404);
    const member = await site.newPage();
    await login(member, client.username, client.password);
    expect((await member.goto(`/albums/${weddings.id}`))?.status()).toBe(200);
    await expect(member.locator('body').textContent()).resolves.toContain('Smith & Jones, June');
  });

  it('creates a password-protected share link that opens in a fresh browser context', async () => {
    const weddings = (await site.app.app.get(AlbumService).children(null)).find((a) => a.name === 'Weddings')!;
    const page = await adminPage('desktop', '/admin/shares');
    await page.selectOption('#share-album', String(weddings.id));
    await page.fill('#share-label', 'Smith family');
    await page.fill('#share-password', 'june-2026');
    await page.locator('input[name="allowDownload"]').check();
    await submit(page, 'form[action="/admin/shares"] button[type="submit"]');
    const url = await page.inputValue('#flash-secret');
    expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    await expect(page.locator('[data-copy="#flash-secret"]').isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'admin share links');
    await shots(page, 'shares');

    const visitor = await site.newPage({ viewportName: 'phone' });
    await visitor.goto(new URL(url).pathname);
    await visitor.fill('input[type="password"]', 'june-2026');
    await visitor.locator('input[type="password"]').press('Enter');
    await visitor.waitForURL((u) => u.pathname === new URL(url).pathname);
    await visitor.waitForLoadState();
    expect(await visitor.locator('input[type="password"]').count()).toBe(0);
    await expect(visitor.locator('h1').first().textContent()).resolves.toContain('Smith family');
    await screenshot(visitor, 'admin-share-opened', 'phone');
  });

  it('switches to the portfolio theme and back; edits its settings with a live preview', async () => {
    const themes = site.app.app.get(ThemeService);
    const page = await adminPage('desktop', '/admin/themes');
    await shots(page, 'themes');
    await submit(page, '[data-theme="portfolio"] button:text("Activate")');
    expect(await flash(page)).toContain('Theme “portfolio” is now live.');
    expect(await themes.activeName()).toBe('portfolio');
    const visitor = await site.newPage();
    await visitor.goto('/');
    expect(await visitor.locator('link[rel="stylesheet"]').first().getAttribute('href')).toContain('/assets/portfolio/');

    await page.goto('/admin/themes/portfolio');
    const frame = page.frameLocator('iframe.preview');
    await expect(frame.locator('html').getAttribute('class')).resolves.toMatch(/\bscheme-dark\b/);
    await page.selectOption('#setting-scheme', 'light');
    await page.fill('#setting-about', 'Wedding and portrait photographer in Bergen.');
    await page.waitForFunction(() => {
      const { document } = globalThis as unknown as PageGlobals;
      return (document.querySelector('iframe.preview') as unknown as { src: string }).src.includes('scheme=light');
    });
    await expect.poll(() => frame.locator('html').getAttribute('class')).toMatch(/\bscheme-light\b/);
    await expect.poll(async () => (await frame.locator('body').textContent()) ?? '').toContain('Wedding and portrait photographer in Bergen.');
    expect(await themes.storedSettings('portfolio')).toEqual({});
    await shots(page, 'theme-settings');
    await submit(page, 'button:text("Save settings")');
    expect(await themes.storedSettings('portfolio')).toMatchObject({ scheme: 'light', about: 'Wedding and portrait photographer in Bergen.' });

    await page.goto('/admin/themes');
    await submit(page, '[data-theme="default"] button:text("Activate")');
    expect(await themes.activeName()).toBe('default');
  });

  it('renders the remaining pages cleanly at phone and desktop widths', async () => {
    const page = await adminPage('desktop', '/admin/users');
    for (const [path, name] of [
      ['/admin/users', 'users'],
      [`/admin/users/${client.id}`, 'user'],
      ['/admin/groups', 'groups'],
      [`/admin/groups/${groupId}`, 'group'],
      ['/admin/plugins', 'plugins'],
      ['/admin/audit', 'audit'],
      ['/admin/settings', 'settings'],
      ['/admin', 'dashboard-after'],
    ] as const) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      await expectAccessible(page, `admin ${name}`);
      await shots(page, name);
      const overflow = await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        return document.documentElement.scrollWidth > document.documentElement.clientWidth;
      });
      expect(overflow, `${path} scrolls sideways`).toBe(false);
    }
  });
});
