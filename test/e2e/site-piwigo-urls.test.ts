import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_CSP } from '../../src/site/site-headers.js';
import { as, createSiteTestApp, TEST_PRINCIPAL_HEADER } from '../support/site-test-app.js';
import { seedSite, type SiteFixture } from '../support/site-fixture.js';
import type { TestApp } from '../support/test-app.js';

// Inbound links to Piwigo's public URLs (index.php?/category/12-paris, picture.php?/34/category/12)
// answer 301 to the Vitrine page; hidden albums and tags answer the 404 of a missing one.
describe('Piwigo legacy URLs', () => {
  let t: TestApp;
  let f: SiteFixture;
  let beachId: number;
  let secretTagId: number;
  const get = (url: string) => request(t.app.getHttpServer()).get(url).redirects(0);

  const expect301 = async (url: string, location: string) => {
    const res = await get(url);
    expect(res.status, url).toBe(301);
    expect(res.headers.location, url).toBe(location);
    return res;
  };
  const expect404Page = async (url: string) => {
    const res = await get(url);
    expect(res.status, url).toBe(404);
    expect(res.headers['content-type'], url).toMatch(/text\/html/);
    expect(res.headers.location, url).toBeUndefined();
    expect(res.headers['content-security-policy'], url).toBe(SITE_CSP);
    return res;
  };

  beforeAll(async () => {
    t = await createSiteTestApp();
    f = await seedSite(t);
    const tagId = async (slug: string) => ((await t.db.dataSource.query(`SELECT id FROM tags WHERE slug = $1`, [slug])) as { id: number }[])[0]!.id;
    beachId = await tagId(f.tags.beach);
    secretTagId = await tagId(f.tags.secretTag);
  });
  afterAll(() => t?.close());

  it('index.php (no query, empty query, ?/categories) redirects to the home page', async () => {
    for (const url of ['/index.php', '/index.php?', '/index.php?/categories', '/index.php?/categories&lang=fr']) await expect301(url, '/');
  });

  it('index.php?/category/<id>[-anything] redirects to the album canonical URL, whatever slug and extra parts follow', async () => {
    const canonical = `/albums/${f.albums.pub}-public`;
    for (const suffix of [`${f.albums.pub}`, `${f.albums.pub}-public`, `${f.albums.pub}-old-name-from-piwigo`, `${f.albums.pub}-x/start-15`, `${f.albums.pub}&lang=fr_FR`]) {
      await expect301(`/index.php?/category/${suffix}`, canonical);
    }
    // Percent-encoded Piwigo path (some crawlers encode the slashes).
    await expect301(`/index.php?%2Fcategory%2F${f.albums.pub}-public`, canonical);
    const child = await get(`/index.php?/category/${f.albums.pubChild}`).expect(301);
    expect(child.headers.location).toMatch(new RegExp(`^/albums/${f.albums.pubChild}-[a-z0-9-]+$`));
  });

  it('picture.php redirects to the photo page, with the album when Piwigo gave one (no lookup needed)', async () => {
    const { pubPhoto } = f.photos;
    const { pub } = f.albums;
    await expect301(`/picture.php?/${pubPhoto}/category/${pub}`, `/photos/${pubPhoto}?album=${pub}`);
    await expect301(`/picture.php?/${pubPhoto}-sunset/category/${pub}-public&slideshow=`, `/photos/${pubPhoto}?album=${pub}`);
    await expect301(`/picture.php?/${pubPhoto}`, `/photos/${pubPhoto}`);
    await expect301(`/picture.php?/${pubPhoto}-sunset`, `/photos/${pubPhoto}`);
    await expect301(`/picture.php?/${pubPhoto}/tags/${beachId}-beach`, `/photos/${pubPhoto}`);
  });

  it('index.php?/tags/<id>-<name> redirects to the tag page by the stored slug', async () => {
    await expect301(`/index.php?/tags/${beachId}-beach`, '/tags/beach');
    await expect301(`/index.php?/tags/${beachId}-old-piwigo-url-name`, '/tags/beach');
    await expect301(`/index.php?/tags/${beachId}`, '/tags/beach');
  });

  it('garbage ids and unknown shapes answer the themed 404 page, never a redirect', async () => {
    for (const url of [
      '/index.php?/category/abc',
      '/index.php?/category/0',
      '/index.php?/category/-5',
      '/index.php?/category/12345678901',
      '/index.php?/category/',
      '/index.php?/category/999999',
      '/index.php?/tags/abc-x',
      '/index.php?/tags/999999-nope',
      `/index.php?/tags/${beachId}-beach/${beachId}-beach`,
      '/index.php?/most_visited',
      '/index.php?/category//evil.example',
      '/index.php?%E0%A4%A',
      '/picture.php',
      '/picture.php?/abc',
      '/picture.php?//evil.example',
      '/picture.php?/0/category/1',
      `/picture.php?/${f.photos.pubPhoto}/category/abc`,
      `/picture.php?/${f.photos.pubPhoto}/category/`,
    ]) {
      const res = await expect404Page(url);
      expect(res.text, url).toContain('Page not found');
    }
  });

  it('a private or hidden album id (or a tag only hidden photos carry) answers anonymous visitors exactly like a missing id', async () => {
    const missing = await expect404Page('/index.php?/category/999999');
    for (const id of [f.albums.secret, f.albums.hidden, f.albums.privChild]) {
      for (const url of [`/index.php?/category/${id}`, `/index.php?/category/${id}-secret-album`]) {
        const res = await expect404Page(url);
        expect(res.text, url).toBe(missing.text);
      }
    }
    const secretTag = await expect404Page(`/index.php?/tags/${secretTagId}-secret-tag`);
    expect(secretTag.text).toBe(missing.text);
    expect(secretTag.text).not.toContain('Secret');
    // Photos redirect without a lookup, so a hidden and a missing photo get the same 301 shape…
    await expect301(`/picture.php?/${f.photos.secretPhoto}/category/${f.albums.secret}`, `/photos/${f.photos.secretPhoto}?album=${f.albums.secret}`);
    // …and the target page answers both with the same 404.
    const hiddenPhoto = await get(`/photos/${f.photos.secretPhoto}?album=${f.albums.secret}`).expect(404);
    const missingPhoto = await get(`/photos/999999?album=${f.albums.secret}`).expect(404);
    expect(hiddenPhoto.text).toBe(missingPhoto.text);
  });

  it('a visitor who may see the private album is redirected to it', async () => {
    const res = await get(`/index.php?/category/${f.albums.secret}`).set(TEST_PRINCIPAL_HEADER, as(f.admin)).expect(301);
    expect(res.headers.location).toMatch(new RegExp(`^/albums/${f.albums.secret}-secret-album$`));
    // The target names a private album: never kept by a shared cache.
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(res.headers.vary).toMatch(/Cookie/);
    const tag = await get(`/index.php?/tags/${secretTagId}`).set(TEST_PRINCIPAL_HEADER, as(f.admin)).expect(301);
    expect(tag.headers.location).toBe('/tags/secret-tag');
  });

  it('following the redirects lands on the right pages', async () => {
    const follow = async (url: string) => {
      const first = await get(url).expect(301);
      return get(first.headers.location!).expect(200);
    };
    expect((await follow('/index.php')).text).toContain(`/albums/${f.albums.pub}-public`);
    const album = await follow(`/index.php?/category/${f.albums.pub}-paris`);
    expect(album.text).toMatch(new RegExp(`rel="canonical" href="[^"]*/albums/${f.albums.pub}-public"`));
    expect(album.text).toContain('Public child');
    const photo = await follow(`/picture.php?/${f.photos.pubPhoto}/category/${f.albums.pub}`);
    expect(photo.text).toContain('Sunset');
    const tag = await follow(`/index.php?/tags/${beachId}-beach`);
    expect(tag.text).toContain('Sunset');
    const admin = await get(`/index.php?/category/${f.albums.secret}`).set(TEST_PRINCIPAL_HEADER, as(f.admin)).expect(301);
    const secret = await get(admin.headers.location!).set(TEST_PRINCIPAL_HEADER, as(f.admin)).expect(200);
    expect(secret.text).toContain('Secret photo');
  });
});
