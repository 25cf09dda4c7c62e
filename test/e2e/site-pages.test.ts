import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_CSP } from '../../src/site/site-headers.js';
import { as, createSiteTestApp, TEST_PRINCIPAL_HEADER } from '../support/site-test-app.js';
import { seedSite, XSS, type SiteFixture } from '../support/site-fixture.js';
import type { TestApp } from '../support/test-app.js';

const ESCAPED_XSS = '&lt;script&gt;alert(1)&lt;/script&gt;';
/** A URL as Handlebars prints it in an attribute (`=` becomes `&#x3D;`). */
const attr = (url: string) => url.replace(/=/g, '&#x3D;');

describe('site pages (anonymous visitors see public content only)', () => {
  let t: TestApp;
  let f: SiteFixture;
  const get = (url: string) => request(t.app.getHttpServer()).get(url);
  const privateTitles = ['Secret album', 'Hidden album', 'Private child', 'Family only', 'Secret photo', 'Hidden photo', 'Secret tag'];
  const expectNoPrivate = (html: string) => {
    for (const title of privateTitles) expect(html, title).not.toContain(title);
    expect(html).not.toContain(XSS);
  };

  beforeAll(async () => {
    t = await createSiteTestApp();
    f = await seedSite(t);
  });
  afterAll(() => t?.close());

  it('home lists visible top albums with visible counts and no private cover', async () => {
    const res = await get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain(`Public ${ESCAPED_XSS}`);
    expect(res.text).toContain(`/albums/${f.albums.pub}-public`);
    expect(res.text).toContain('Sunset');
    expect(res.text).toContain('66 photos'); // 1 public photo + 65 in the public child; not the family or private ones
    expect(res.text).not.toContain(`/media/photos/${f.photos.privChildPhoto}/`);
    expect(res.text).not.toContain(`/media/photos/${f.photos.familyPhoto}/`);
    expectNoPrivate(res.text);
  });

  it('sends the security headers on pages and on error pages', async () => {
    for (const url of ['/', `/albums/${f.albums.secret}-secret-album`]) {
      const res = await get(url);
      expect(res.headers['content-security-policy']).toBe(SITE_CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
    }
  });

  it('album page shows visible sub-albums and photos only', async () => {
    const res = await get(`/albums/${f.albums.pub}-public`).expect(200);
    expect(res.text).toContain('Public child');
    expect(res.text).toContain(attr(`/photos/${f.photos.pubPhoto}?album=${f.albums.pub}`));
    expect(res.text).toContain(`Sunset ${ESCAPED_XSS}`);
    expectNoPrivate(res.text);
  });

  it('a private, hidden or private-under-public album is the same 404 page as a missing id', async () => {
    const missing = await get('/albums/999999-nothing').expect(404);
    expect(missing.headers['content-type']).toMatch(/text\/html/);
    expect(missing.text).toContain('Page not found');
    for (const id of [f.albums.secret, f.albums.hidden, f.albums.privChild]) {
      const res = await get(`/albums/${id}-nothing`).expect(404);
      expect(res.text).toBe(missing.text);
      const bare = await get(`/albums/${id}`).expect(404); // no canonical redirect leaks the slug
      expect(bare.headers.location).toBeUndefined();
    }
    await get('/albums/abc').expect(404);
  });

  it('redirects to the canonical slug', async () => {
    let res = await get(`/albums/${f.albums.pub}`).expect(301);
    expect(res.headers.location).toBe(`/albums/${f.albums.pub}-public`);
    // The target depends on who asks (a private album's slug for those who may see it): no shared caching.
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(res.headers.vary).toContain('Cookie');
    res = await get(`/albums/${f.albums.pub}-old-name?sort=title`).expect(301);
    expect(res.headers.location).toBe(`/albums/${f.albums.pub}-public?sort=title`);
  });

  it('paginates with plain links (no JavaScript) and 404s past the end', async () => {
    const url = `/albums/${f.albums.pubChild}-public-child`;
    const first = await get(url).expect(200);
    expect(first.text.match(/class="tile"/g)?.length).toBe(60);
    expect(first.text).toContain(`href="${attr(`${url}?page=2`)}"`);
    const second = await get(`${url}?page=2`).expect(200);
    expect(second.text.match(/class="tile"/g)?.length).toBe(5);
    expect(second.text).toContain(`href="${url}"`);
    await get(`${url}?page=3`).expect(404);
    await get(`${url}?page=0`).expect(404);
    await get(`${url}?page=x`).expect(404);
  });

  it('sorts by allowlisted keys only', async () => {
    const url = `/albums/${f.albums.pubChild}-public-child`;
    const byTitle = await get(`${url}?sort=title`).expect(200);
    expect(byTitle.text).toContain('alt="Bulk 1"');
    expect(byTitle.text).not.toContain('alt="Sale 100%_off"'); // "Sale" sorts after the 64 "Bulk n"
    const newest = await get(`${url}?sort=taken-desc`).expect(200);
    expect(newest.text.indexOf('alt="Sale 100%_off"')).toBeGreaterThan(0);
    expect(newest.text.indexOf('alt="Sale 100%_off"')).toBeLessThan(newest.text.indexOf('alt="Bulk 64"'));
    expect(byTitle.text).toMatch(/<option value="title" selected>/);
    expect(byTitle.text).toMatch(new RegExp(`<link rel="canonical" href="http://localhost:\\d+${url}">`));
    const evil = await get(`${url}?sort=${encodeURIComponent('p.id; DROP TABLE photos')}`).expect(200);
    expect(evil.text).toMatch(/<option value="manual" selected>/);
  });

  it('photo page: escaped text, tags, prev/next in album context, no download or GPS for guests', async () => {
    const res = await get(`/photos/${f.photos.pubPhoto}`).expect(200);
    expect(res.text).toContain(`Sunset ${ESCAPED_XSS}`);
    expect(res.text).not.toContain('<img src=x onerror');
    expect(res.text).toContain('/tags/beach');
    expect(res.text).toContain(`Beach ${ESCAPED_XSS}`);
    expect(res.text).not.toContain('Secret tag');
    expect(res.text).not.toContain(`/media/photos/${f.photos.pubPhoto}/original`);
    expect(res.text).not.toContain('openstreetmap');
    const [a, b, c] = f.photos.bulk;
    const mid = await get(`/photos/${b}?album=${f.albums.pubChild}`).expect(200);
    expect(mid.text).toContain(attr(`/photos/${a}?album=${f.albums.pubChild}`));
    expect(mid.text).toContain(attr(`/photos/${c}?album=${f.albums.pubChild}`));
  });

  it('a photo the visitor may not see is the same 404 page as a missing one', async () => {
    const missing = await get('/photos/99999999').expect(404);
    for (const id of [f.photos.familyPhoto, f.photos.secretPhoto, f.photos.privChildPhoto, f.photos.hiddenPhoto]) {
      expect((await get(`/photos/${id}`).expect(404)).text).toBe(missing.text);
    }
  });

  it('signed-in principals see what their level and role allow', async () => {
    const family = await get(`/photos/${f.photos.familyPhoto}`).set(TEST_PRINCIPAL_HEADER, as(f.family)).expect(200);
    expect(family.text).toContain(`/media/photos/${f.photos.familyPhoto}/original`);
    expect(family.text).toContain('openstreetmap');
    await get(`/tags/secret-tag`).set(TEST_PRINCIPAL_HEADER, as(f.family)).expect(200);
    const admin = await get(`/albums/${f.albums.secret}-secret-album`).set(TEST_PRINCIPAL_HEADER, as(f.admin)).expect(200);
    expect(admin.text).toContain('Secret photo');
  });

  it('tag pages list visible photos; a tag only private photos carry looks missing', async () => {
    const res = await get('/tags/beach').expect(200);
    expect(res.text).toContain(`Beach ${ESCAPED_XSS}`);
    expect(res.text).toContain('Sunset');
    const missing = await get('/tags/no-such-tag').expect(404);
    expect((await get('/tags/secret-tag').expect(404)).text).toBe(missing.text);
  });

  it('search finds visible albums, tags and photos only, with wildcards matched literally', async () => {
    const secret = await get('/search?q=secret').expect(200);
    expectNoPrivate(secret.text);
    const sunset = await get('/search?q=sunset').expect(200);
    expect(sunset.text).toContain(`/photos/${f.photos.pubPhoto}`);
    const byTag = await get('/search?q=beach').expect(200);
    expect(byTag.text).toContain(`/photos/${f.photos.pubPhoto}`);
    expect(byTag.text).toContain('/tags/beach');
    for (const q of ['%', '_', '100%_']) {
      const res = await get(`/search?q=${encodeURIComponent(q)}`).expect(200);
      expect(res.text, q).toContain(`/photos/${f.photos.wildcard}`);
      expect(res.text, q).not.toContain(`/photos/${f.photos.bulk[0]}"`);
    }
    const hostile = await get(`/search?q=${encodeURIComponent(XSS)}`).expect(200);
    expect(hostile.text).not.toContain(XSS);
    expect(hostile.text).toContain('noindex');
  });

  it('sitemap and robots.txt list public content only, whoever asks', async () => {
    const res = await get('/sitemap.xml').set(TEST_PRINCIPAL_HEADER, as(f.admin)).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/xml/);
    expect(res.text).toContain(`/albums/${f.albums.pub}-public</loc>`);
    expect(res.text).toContain(`/albums/${f.albums.pubChild}-public-child</loc>`);
    expect(res.text).toContain(`/photos/${f.photos.pubPhoto}</loc>`);
    expect(res.text).toContain('/tags/beach</loc>');
    for (const id of [f.albums.secret, f.albums.hidden, f.albums.privChild]) expect(res.text).not.toMatch(new RegExp(`/albums/${id}-`));
    for (const id of [f.photos.familyPhoto, f.photos.secretPhoto, f.photos.privChildPhoto, f.photos.hiddenPhoto]) {
      expect(res.text).not.toContain(`/photos/${id}<`);
    }
    expect(res.text).not.toContain('secret-tag');
    const robots = await get('/robots.txt').expect(200);
    expect(robots.text).toMatch(/^Sitemap: http:\/\/localhost:\d+\/sitemap\.xml$/m);
    expect(robots.text).toContain('Disallow: /s/');
  });
});
