import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARE_COOKIE } from '../../src/access/share-cookie.js';
import { createSiteTestApp } from '../support/site-test-app.js';
import { seedSite, SHARE_PASSWORD, XSS, type SiteFixture } from '../support/site-fixture.js';
import type { TestApp } from '../support/test-app.js';

/** The `name=value` part of the share cookie in a response, or undefined. */
function shareCookie(res: request.Response): string | undefined {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  return raw?.find((c) => c.startsWith(`${SHARE_COOKIE}=`))?.split(';')[0];
}

describe('share link landing /s/:token', () => {
  let t: TestApp;
  let f: SiteFixture;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createSiteTestApp();
    f = await seedSite(t);
  });
  afterAll(() => t?.close());

  it('a password link shows only a form (escaped title, no content, no cookie)', async () => {
    const res = await http().get(`/s/${f.share.passwordToken}`).expect(200);
    expect(res.text).toMatch(/<form[^>]*method="post"[^>]*action="\/s\//);
    expect(res.text).toContain('name="password"');
    expect(res.text).toContain('For you &lt;script&gt;');
    expect(res.text).not.toContain(XSS);
    expect(res.text).not.toContain('Secret photo');
    expect(res.text).toContain('noindex');
    expect(shareCookie(res)).toBeUndefined();
  });

  it('refuses a wrong password and cross-site posts', async () => {
    const wrong = await http().post(`/s/${f.share.passwordToken}`).type('form').send({ password: 'nope' }).expect(401);
    expect(wrong.text).toContain('The password is not right.');
    expect(wrong.text).not.toContain('Secret photo');
    expect(shareCookie(wrong)).toBeUndefined();
    const cross = await http()
      .post(`/s/${f.share.passwordToken}`)
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ password: SHARE_PASSWORD })
      .expect(403);
    expect(shareCookie(cross)).toBeUndefined();
    await http().post(`/s/${f.share.passwordToken}`).set('Sec-Fetch-Site', 'cross-site').type('form').send({ password: SHARE_PASSWORD }).expect(403);
  });

  it('the right password sets the share cookie and the shared album renders', async () => {
    const ok = await http().post(`/s/${f.share.passwordToken}`).set('Sec-Fetch-Site', 'same-origin').type('form').send({ password: SHARE_PASSWORD }).expect(303);
    expect(ok.headers.location).toBe(`/s/${f.share.passwordToken}`);
    const raw = (ok.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${SHARE_COOKIE}=`))!;
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Lax/i);
    const page = await http().get(`/s/${f.share.passwordToken}`).set('Cookie', shareCookie(ok)!).expect(200);
    expect(page.text).toContain('Secret photo');
    expect(page.text).not.toContain('name="password"');
    expect(page.text).not.toContain('Sunset'); // only what the link covers
  });

  it('the share cookie opens the shared photo pages (through the auth layer\'s resolver), nothing else', async () => {
    const open = await http().get(`/s/${f.share.openToken}`).expect(200);
    const cookie = shareCookie(open)!;
    await http().get(`/photos/${f.photos.secretPhoto}`).expect(404);
    const photo = await http().get(`/photos/${f.photos.secretPhoto}?album=${f.albums.secret}`).set('Cookie', cookie).expect(200);
    expect(photo.text).toContain('Secret photo');
    expect(photo.text).not.toContain('openstreetmap'); // no GPS for share visitors
    await http().get(`/albums/${f.albums.secret}-secret-album`).set('Cookie', cookie).expect(200);
    await http().get(`/photos/${f.photos.privChildPhoto}`).set('Cookie', cookie).expect(404);
  });

  it("one link's cookie does not unlock another link", async () => {
    const open = await http().get(`/s/${f.share.openToken}`).expect(200);
    expect(open.text).toContain('Secret photo');
    const cookie = shareCookie(open);
    expect(cookie).toBeDefined();
    const other = await http().get(`/s/${f.share.passwordToken}`).set('Cookie', cookie!).expect(200);
    expect(other.text).toContain('name="password"');
    expect(other.text).not.toContain('Secret photo');
  });

  it('a selection link lists exactly its photos', async () => {
    const res = await http().get(`/s/${f.share.selectionToken}`).expect(200);
    expect(res.text).toContain('Secret photo');
    expect(res.text).toContain('Private child photo');
    expect(res.text).not.toContain('Sunset');
  });

  it('unknown tokens answer the site 404 page', async () => {
    const res = await http().get(`/s/${'x'.repeat(43)}`).expect(404);
    expect(res.text).toContain('Page not found');
    await http().post(`/s/${'x'.repeat(43)}`).type('form').send({ password: 'a' }).expect(404);
  });
});
