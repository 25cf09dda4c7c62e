import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGGER } from '../../src/common/logger.js';
import { ImageSizeRegistry } from '../../src/media/image-size.registry.js';
import { VitrineError } from '../../src/common/errors.js';
import { ThemeService } from '../../src/site/theme.service.js';
import { createSiteTestApp } from '../support/site-test-app.js';
import type { TestApp } from '../support/test-app.js';

describe('theme assets and the active theme', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createSiteTestApp();
  });
  afterAll(() => t?.close());

  it('serves fingerprinted assets with ETag, immutable caching and 304 on revalidation', async () => {
    const home = await http().get('/').expect(200);
    const url = /href="(\/assets\/default\/css\/site\.css\?v&#x3D;([0-9a-f]+))"/.exec(home.text);
    expect(url).not.toBeNull();
    const res = await http().get(`/assets/default/css/site.css?v=${url![2]}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers.etag).toBe(`"${url![2]}"`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    await http().get('/assets/default/css/site.css').set('If-None-Match', res.headers.etag!).expect(304);
    const js = await http().get('/assets/default/js/site.js').expect(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('refuses path traversal, unknown files and other themes', async () => {
    for (const path of [
      '/assets/default/../package.json',
      '/assets/default/%2e%2e/package.json',
      '/assets/default/..%2fpackage.json',
      '/assets/default/css/..%2f..%2fpackage.json',
      '/assets/default/%2fetc%2fpasswd',
      '/assets/default/css/%00site.css',
      '/assets/default/nope.css',
      '/assets/..%2fdefault/css/site.css',
      '/assets/portfolio/css/site.css',
    ]) {
      const res = await http().get(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain('"name"');
    }
  });

  it('activates a theme after theme:check and switches pages and assets to it', async () => {
    const themes = t.app.get(ThemeService);
    await expect(themes.activate('no-such-theme')).rejects.toMatchObject({ code: 'theme.not_found' });
    await themes.activate('portfolio');
    const home = await http().get('/').expect(200);
    expect(home.text).toContain('/assets/portfolio/');
    await http().get('/assets/default/css/site.css').expect(404);
    await themes.activate('default');
    expect((await http().get('/').expect(200)).text).toContain('/assets/default/');
  });

  it("registers the active theme's image sizes in the media registry at start", () => {
    const registry = t.app.get(ImageSizeRegistry);
    expect(registry.get('hd')).toMatchObject({ width: 2560, height: 2560, crop: false, eager: false });
    expect(registry.get('uhd')).toBeDefined();
  });

  it('refuses to activate a theme with theme:check errors, naming the rule codes', async () => {
    const themes = new ThemeService(t.db.dataSource, join(import.meta.dirname, '../fixtures/themes'), t.app.get(LOGGER));
    const error = await themes.activate('helper-unknown').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VitrineError);
    expect(error).toMatchObject({ code: 'theme.check_failed' });
    expect((error as VitrineError).message).toContain('HELPER_UNKNOWN');
    expect((error as VitrineError).fields?.[0]?.path).toBe('HELPER_UNKNOWN');
    expect(await themes.activeName()).not.toBe('helper-unknown');
  });
});
