import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_CSP } from '../../src/site/site-headers.js';
import { ThemeService } from '../../src/site/theme.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// Unknown URLs: a visitor's mistyped page gets the theme's 404 page; machine paths keep problem+json.
describe('unknown routes', () => {
  let t: TestApp;
  const get = (url: string) => request(t.app.getHttpServer()).get(url);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('renders the theme 404 page (error-404.hbs) for unknown site paths, with the site headers', async () => {
    for (const path of ['/no-such-page', '/albums', '/photos/', '/a/b/c?x=1', '/admin-typo']) {
      const res = await get(path).expect(404);
      expect(res.headers['content-type'], path).toMatch(/text\/html/);
      expect(res.text, path).toContain('class="page page--error"');
      expect(res.text, path).toContain('Page not found');
      expect(res.headers['content-security-policy'], path).toBe(SITE_CSP);
      expect(res.headers['cache-control'], path).toBe('no-store');
    }
    // Same bytes as the 404 of a hidden album (nothing about the URL is echoed).
    const unknown = await get('/no-such-page').expect(404);
    const hidden = await get('/albums/999999').expect(404);
    expect(unknown.text).toBe(hidden.text);
  });

  it('keeps problem+json 404s for unknown API, media and ws paths and for non-GET requests', async () => {
    for (const path of ['/api/v1/nope', '/api', '/media/nope', '/ws.php/x']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type'], path).toMatch(/application\/problem\+json/);
      expect(res.body, path).toMatchObject({ status: 404, code: 'route.not_found' });
    }
    const post = await request(t.app.getHttpServer()).post('/no-such-page').send({}).expect(404);
    expect(post.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('falls back from error-404.hbs to error.hbs (portfolio has no error-404.hbs)', async () => {
    const themes = t.app.get(ThemeService);
    await themes.activate('portfolio');
    try {
      const res = await get('/no-such-page').expect(404);
      expect(res.text).toContain('/assets/portfolio/');
      expect(res.text).toContain('Page not found');
    } finally {
      await themes.activate('default');
    }
  });
});
