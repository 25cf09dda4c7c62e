import { describe, expect, it } from 'vitest';
import { HOSTILE, helperHarness } from './helper.testing.js';

describe('url', () => {
  it('uses object URLs as they are and prefixes site paths with the base path', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{url album}}', { album: { url: '/gallery/album/3-paris' } })).toBe('/gallery/album/3-paris');
    expect(render('{{url "/tags"}}')).toBe('/gallery/tags');
    expect(render('{{url "https://example.org/x"}}')).toBe('https://example.org/x');
    expect(warnings).toEqual([]);
  });

  it('bare {{url}} is the current object URL, else home', () => {
    const { render } = helperHarness();
    expect(render('{{url}}')).toBe('/gallery/');
    expect(render('{{#each list}}{{url}} {{/each}}', { list: [{ url: '/gallery/photo/1' }, { url: '/gallery/photo/2' }] })).toBe(
      '/gallery/photo/1 /gallery/photo/2 ',
    );
  });

  it('makes absolute URLs', () => {
    const { render } = helperHarness();
    expect(render('{{url album absolute=true}}', { album: { url: '/gallery/album/3' } })).toBe('https://photos.example.com/gallery/album/3');
  });

  it('escapes and refuses dangerous targets', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{url "javascript:alert(1)"}}')).toBe('');
    expect(render('{{url "//evil.example"}}')).toBe('');
    expect(render('{{url o}}', { o: { url: 'data:text/html,x' } })).toBe('');
    expect(render('{{url 5}}')).toBe('');
    expect(warnings).toHaveLength(4);
    const out = render('<a href="{{url o}}">', { o: { url: `/x${HOSTILE[1]}` } });
    expect(out).not.toContain('"><img');
  });
});
