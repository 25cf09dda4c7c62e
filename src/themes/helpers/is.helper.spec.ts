import { describe, expect, it } from 'vitest';
import type { PageView } from '../theme-view.types.js';
import { helperHarness, testIndexPage, testSite } from './helper.testing.js';

const pagination = { page: 2, pages: 3, total: 90, perPage: 30, prevUrl: '/a', nextUrl: '/a?page=3', items: [] };
const albumPage = (page: number) =>
  ({
    context: 'album',
    site: testSite(),
    meta: null,
    album: { slug: 'x', pagination: page > 1 ? { ...pagination, page } : null },
  }) as unknown as PageView;

describe('#is', () => {
  it('tests the page context, home and paged', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{#is "index"}}yes{{else}}no{{/is}}')).toBe('yes');
    expect(render('{{#is "home"}}yes{{else}}no{{/is}}')).toBe('yes');
    expect(render('{{#is "album"}}yes{{else}}no{{/is}}')).toBe('no');
    expect(render('{{#is "album, tag"}}yes{{else}}no{{/is}}', {}, albumPage(1))).toBe('yes');
    expect(render('{{#is "paged"}}yes{{else}}no{{/is}}', {}, albumPage(1))).toBe('no');
    expect(render('{{#is "paged"}}yes{{else}}no{{/is}}', {}, albumPage(2))).toBe('yes');
    expect(warnings).toEqual([]);
  });

  it('renders nothing and warns on unknown or missing contexts', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{#is "albun"}}yes{{else}}no{{/is}}')).toBe('');
    expect(render('{{#is "<script>alert(1)</script>"}}yes{{/is}}')).toBe('');
    expect(render('{{#is}}yes{{/is}}')).toBe('');
    expect(render('{{#is 3}}yes{{/is}}')).toBe('');
    expect(render('{{is "album"}}', {}, testIndexPage())).toBe('');
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toContain('unknown context "albun"');
  });
});
