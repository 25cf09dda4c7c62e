import { describe, expect, it } from 'vitest';
import type { PageView } from '../theme-view.types.js';
import { HOSTILE, helperHarness, testIndexPage, testPhoto, testSite } from './helper.testing.js';

function photoPage(title: string, description: string): PageView {
  const card = testPhoto({ title, alt: title });
  return {
    context: 'photo',
    site: testSite(),
    meta: null,
    photo: {
      ...card,
      description,
      album: null,
      breadcrumbs: [],
      position: null,
      tags: [],
      prev: null,
      next: null,
      downloadUrl: null,
      extensions: {},
      metadata: { camera: null, lens: null, exposure: null, aperture: null, iso: null, focalLength: null, takenAt: '2024-06-14T18:30:00', place: null, author: title, copyright: null, extra: [] },
    },
  };
}

describe('meta', () => {
  it('derives title, description, OpenGraph and Twitter tags from a photo page', () => {
    const { render, warnings } = helperHarness();
    const out = render('{{meta}}', {}, photoPage('Fjord', 'Morning light over the fjord.'));
    expect(out).toContain('<title>Fjord · Northern Light</title>');
    expect(out).toContain('<meta name="description" content="Morning light over the fjord.">');
    expect(out).toContain('<meta property="og:type" content="article">');
    expect(out).toContain('<meta property="og:image" content="https://photos.example.com/gallery/i/12/xxlarge.jpg">');
    expect(out).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(out).toContain('"@type":"ImageObject"');
    expect(warnings).toEqual([]);
  });

  it('uses the site title alone on the home page and honours explicit meta', () => {
    const { render } = helperHarness();
    expect(render('{{meta}}')).toContain('<title>Northern Light</title>');
    const page = { ...testIndexPage(), meta: { title: 'Hello', description: null, canonicalUrl: 'https://x.example/', image: null, noindex: true } };
    const out = render('{{meta separator=" | "}}', {}, page);
    expect(out).toContain('<title>Hello | Northern Light</title>');
    expect(out).toContain('<link rel="canonical" href="https://x.example/">');
    expect(out).toContain('<meta name="robots" content="noindex">');
  });

  it('escapes hostile titles and descriptions everywhere, JSON-LD included', () => {
    const { render } = helperHarness();
    for (const evil of HOSTILE) {
      const out = render('{{meta}}', {}, photoPage(evil, evil));
      expect(out).not.toMatch(/<script>alert|<img|' onmouseover/);
      const ld = /<script type="application\/ld\+json">(.*)<\/script>/.exec(out)![1]!;
      expect(ld).not.toContain('<');
      expect(JSON.parse(ld).name).toBe(evil);
    }
  });

  it('renders nothing and warns outside a page or with a bad separator', () => {
    const { hbs, render, warnings } = helperHarness();
    expect(hbs.compile('{{meta}}')({})).toBe('');
    expect(render('{{meta separator=1}}')).toBe('');
    expect(warnings).toHaveLength(2);
  });
});
