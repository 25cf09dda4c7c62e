import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlbumService } from '../../src/albums/album.service.js';
import { useBrowserSite } from './support/browser-site.js';
import { createUser, ingestPhotos, type SeededUser } from './support/gallery-seed.js';
import type { PageGlobals } from './support/page-globals.js';
import { login, screenshot, seriousA11yViolations } from './support/page-helpers.js';

// The harness itself: Chromium starts, the in-process app answers, a real login works,
// screenshots are written and axe-core reports violations it is shown.
let editor: SeededUser;
let albumId: number;
const site = useBrowserSite({
  seed: async (t) => {
    editor = await createUser(t, 'harness-editor', { role: 'admin' });
    albumId = (await t.app.get(AlbumService).create({ name: 'Harness album' })).id;
    await ingestPhotos(t, [albumId], [{ title: 'Harness photo' }], editor.principal);
  },
});

describe('browser harness', () => {
  it('serves the site to Chromium and logs in through the form', async () => {
    const page = await site.newPage();
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await expect(page.locator('body').textContent()).resolves.toContain('Harness album');
    await login(page, editor.username, editor.password);
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    expect(me).toMatchObject({ authenticated: true, user: { username: 'harness-editor' } });
  });

  it('refuses a wrong password with the form again', async () => {
    const page = await site.newPage();
    await expect(login(page, editor.username, 'not the password')).rejects.toThrow(/login as harness-editor failed/);
  });

  it('writes a screenshot and decodes the album photos', async () => {
    const page = await site.newPage({ viewportName: 'phone' });
    await page.goto(`/albums/${albumId}`);
    const path = await screenshot(page, 'harness-album', 'phone');
    expect(existsSync(path)).toBe(true);
    const broken = await page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      return [...document.images].filter((i: { complete: boolean; naturalWidth: number }) => i.complete && i.naturalWidth === 0).map((i: { src: string }) => i.src);
    });
    expect(broken).toEqual([]);
  });

  it('axe-core sees a violation planted in the page', async () => {
    const page = await site.newPage();
    await page.setContent('<html><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>');
    const found = await seriousA11yViolations(page);
    expect(found.map((v) => v.id)).toContain('image-alt');
  });
});
