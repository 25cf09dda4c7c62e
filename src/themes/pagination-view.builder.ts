import type { PaginationItemView, PaginationView } from './theme-view.types.js';

/** Input of {@link buildPaginationView}. */
export interface PaginationInput {
  /** Requested page, 1-based; clamped into range. */
  page: number;
  perPage: number;
  total: number;
  /** URL of page `n` (page 1 should be the list's plain URL, without `?page=1`). */
  urlFor: (page: number) => string;
  /** Page links shown on each side of the current page (default 2). */
  window?: number;
}

/**
 * Builds the {@link PaginationView} a site controller passes to themes, or null when everything
 * fits on one page. Always shows the first and last page, a window around the current one, and a
 * gap (`…`) where pages are skipped; a gap of exactly one page shows that page instead.
 */
export function buildPaginationView(input: PaginationInput): PaginationView | null {
  const perPage = Math.max(1, Math.floor(input.perPage));
  const total = Math.max(0, Math.floor(input.total));
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return null;
  const page = Math.min(pages, Math.max(1, Math.floor(input.page) || 1));
  const w = Math.max(0, input.window ?? 2);
  const shown = new Set<number>([1, pages]);
  for (let n = page - w; n <= page + w; n++) if (n >= 1 && n <= pages) shown.add(n);
  const sorted = [...shown].sort((a, b) => a - b);
  const items: PaginationItemView[] = [];
  sorted.forEach((n, i) => {
    const prev = sorted[i - 1];
    if (prev !== undefined && n - prev === 2) items.push({ kind: 'page', number: n - 1, url: input.urlFor(n - 1), current: false });
    else if (prev !== undefined && n - prev > 2) items.push({ kind: 'gap' });
    items.push({ kind: 'page', number: n, url: input.urlFor(n), current: n === page });
  });
  return {
    page,
    pages,
    total,
    perPage,
    prevUrl: page > 1 ? input.urlFor(page - 1) : null,
    nextUrl: page < pages ? input.urlFor(page + 1) : null,
    items,
  };
}
