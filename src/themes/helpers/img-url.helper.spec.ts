import { describe, expect, it } from 'vitest';
import { HOSTILE, helperHarness, testPhoto } from './helper.testing.js';

describe('img_url', () => {
  it('returns the URL of the named size', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{img_url photo "medium"}}', { photo: testPhoto() })).toBe('/gallery/i/12/medium.jpg');
    expect(render('{{img_url photo.sizes "large"}}', { photo: testPhoto() })).toBe('/gallery/i/12/large.jpg');
    expect(warnings).toEqual([]);
  });

  it('builds absolute URLs from the site base URL', () => {
    const { render } = helperHarness();
    expect(render('{{img_url photo "medium" absolute=true}}', { photo: testPhoto() })).toBe(
      'https://photos.example.com/gallery/i/12/medium.jpg',
    );
  });

  it('escapes hostile URLs inside attributes', () => {
    const { render } = helperHarness();
    for (const evil of HOSTILE) {
      const photo = testPhoto({ sizes: { medium: { url: `/i/${evil}`, width: 10, height: 10 } } });
      const out = render('<img src="{{img_url photo "medium"}}">', { photo });
      expect(out).not.toMatch(/<script|onerror=alert|' onmouseover/);
      expect(out.match(/"/g)).toHaveLength(2);
    }
  });

  it('renders nothing and warns on bad input', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{img_url photo "huge"}}', { photo: testPhoto() })).toBe('');
    expect(render('{{img_url nothing "medium"}}', {})).toBe('');
    expect(render('{{img_url photo}}', { photo: testPhoto() })).toBe('');
    expect(render('{{img_url photo "x"}}', { photo: testPhoto({ sizes: { x: { url: 'javascript:alert(1)', width: 1, height: 1 } } }) })).toBe('');
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toMatch(/img_url: unknown size "huge".*test\.hbs line 1/);
  });
});
