import { describe, expect, it } from 'vitest';
import { buildPaginationView } from '../pagination-view.builder.js';
import { HOSTILE, helperHarness, testIndexPage, testSite } from './helper.testing.js';

const urlFor = (n: number) => (n === 1 ? '/gallery/album/3' : `/gallery/album/3?page=${n}`);

describe('pagination', () => {
  const p = buildPaginationView({ page: 5, perPage: 10, total: 200, urlFor })!;

  it('renders prev/next and a window of page links', () => {
    const { render, warnings } = helperHarness();
    const out = render('{{pagination p}}', { p });
    expect(out).toContain('<nav class="pagination" aria-label="Pagination">');
    expect(out).toContain('<a class="pagination__prev" href="/gallery/album/3?page&#x3D;4" rel="prev">Previous</a>');
    expect(out).toContain('rel="next"');
    expect(out).toContain('aria-current="page" aria-label="Page 5">5</a>');
    expect(out.match(/pagination__gap/g)).toHaveLength(1); // 1 2 3 4 5 6 7 … 20
    expect(warnings).toEqual([]);
  });

  it('finds the pagination of the context or page by itself', () => {
    const { render } = helperHarness();
    expect(render('{{pagination}}', { pagination: p })).toContain('Page 20');
    const page = { ...testIndexPage(), pagination: p };
    expect(render('{{pagination}}', {}, page)).toContain('Page 20');
  });

  it('translates labels and uses a theme partial when there is one', () => {
    const fr = { dictionaries: { fr: { Previous: 'Précédent', Next: 'Suivant', Pagination: 'Pages', 'Page {number}': 'Page {number}' } } };
    const { render } = helperHarness(fr);
    const out = render('{{pagination p}}', { p }, testIndexPage(testSite({ locale: 'fr' })));
    expect(out).toContain('Précédent');
    const custom = helperHarness({ partials: { pagination: '<p>{{page}}/{{pages}}</p>' } });
    expect(custom.render('{{pagination p}}', { p })).toBe('<p>5/20</p>');
  });

  it('escapes hostile URLs', () => {
    const { render } = helperHarness();
    const evil = buildPaginationView({ page: 1, perPage: 1, total: 3, urlFor: (n) => `/x?q=${HOSTILE[1]}&n=${n}` })!;
    const out = render('{{pagination p}}', { p: evil });
    expect(out).not.toContain('<img');
    expect(out).not.toMatch(/href="[^"]*[<>][^"]*"/);
  });

  it('renders nothing for single pages and warns on bad input', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{pagination p}}', { p: null })).toBe('');
    expect(warnings).toEqual([]);
    expect(render('{{pagination p}}', { p: 'page 2' })).toBe('');
    expect(render('{{pagination p}}', { p: { ...p, nextUrl: 'javascript:alert(1)' } })).toBe('');
    expect(warnings).toHaveLength(2);
  });
});

describe('buildPaginationView', () => {
  it('returns null when everything fits on one page', () => {
    expect(buildPaginationView({ page: 1, perPage: 30, total: 30, urlFor })).toBeNull();
  });

  it('clamps the page and fills one-page gaps', () => {
    const v = buildPaginationView({ page: 99, perPage: 10, total: 45, urlFor })!;
    expect(v.page).toBe(5);
    expect(v.nextUrl).toBeNull();
    expect(v.items.map((i) => (i.kind === 'gap' ? '…' : i.number))).toEqual([1, 2, 3, 4, 5]);
    const w = buildPaginationView({ page: 1, perPage: 1, total: 10, urlFor, window: 1 })!;
    expect(w.items.map((i) => (i.kind === 'gap' ? '…' : i.number))).toEqual([1, 2, '…', 10]);
  });
});
