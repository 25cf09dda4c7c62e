import { describe, expect, it } from 'vitest';
import { HOSTILE, helperHarness, testPhoto } from './helper.testing.js';

describe('img_srcset', () => {
  it('lists uncropped renditions by width, narrowest first', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{img_srcset photo}}', { photo: testPhoto() })).toBe(
      '/gallery/i/12/thumb.jpg 144w, /gallery/i/12/medium.jpg 792w, /gallery/i/12/large.jpg 1008w, /gallery/i/12/xxlarge.jpg 1656w',
    );
    expect(warnings).toEqual([]);
  });

  it('keeps only the named sizes, or those up to max', () => {
    const { render } = helperHarness();
    expect(render('{{img_srcset photo sizes="large, medium"}}', { photo: testPhoto() })).toBe(
      '/gallery/i/12/medium.jpg 792w, /gallery/i/12/large.jpg 1008w',
    );
    expect(render('{{img_srcset photo max=800}}', { photo: testPhoto() })).toBe('/gallery/i/12/thumb.jpg 144w, /gallery/i/12/medium.jpg 792w');
  });

  it('escapes hostile URLs and keeps the list well-formed', () => {
    const { render } = helperHarness();
    const photo = testPhoto({ sizes: { a: { url: `/i/${HOSTILE[1]}, evil 9w`, width: 100, height: 80 } } });
    const out = render('<img srcset="{{img_srcset photo}}">', { photo });
    expect(out).not.toContain('<img src=x');
    expect(out).not.toContain('"><');
    expect(out).toMatch(/ 100w"/);
    expect(out).not.toContain(', evil');
  });

  it('renders nothing and warns on bad input', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{img_srcset photo}}', { photo: 'nope' })).toBe('');
    expect(render('{{img_srcset photo sizes=3}}', { photo: testPhoto() })).toBe('');
    expect(render('{{img_srcset photo max=-1}}', { photo: testPhoto() })).toBe('');
    expect(render('{{img_srcset photo sizes="nope"}}', { photo: testPhoto() })).toBe('');
    expect(warnings.length).toBeGreaterThanOrEqual(4);
  });
});
