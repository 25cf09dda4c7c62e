/**
 * `pagination`: previous/next links and page numbers for a list. Works without JavaScript.
 *
 * ```hbs
 * {{pagination album.pagination}}
 * {{pagination}}     {{!-- this.pagination, else the page's album/tag/search/index pagination --}}
 * ```
 *
 * Renders `<nav class="pagination" aria-label="Pagination">` with `rel="prev"`/`rel="next"`
 * links, an `<ol>` of page links (`aria-current="page"` on the current one) and `…` gaps. Labels go
 * through `t` ("Previous", "Next", "Pagination", "Page {number}"). To change the markup, add
 * `partials/pagination.hbs`: it receives the `PaginationView` as its context. A null pagination
 * renders nothing; a value that is not a pagination renders nothing and logs a warning.
 */
import Handlebars from 'handlebars';
import type { PaginationView } from '../theme-view.types.js';
import type { HelperEnv, HelperFactory, HelperOptions } from './helper.types.js';
import { html, isRecord, isSafeUrl, Raw, siteOf, splitArgs, warn } from './helper.support.js';

function isPagination(value: unknown): value is PaginationView {
  return (
    isRecord(value) &&
    typeof value.page === 'number' &&
    typeof value.pages === 'number' &&
    Array.isArray(value.items) &&
    (value.prevUrl === null || isSafeUrl(value.prevUrl)) &&
    (value.nextUrl === null || isSafeUrl(value.nextUrl))
  );
}

function implicitPagination(context: unknown, options: HelperOptions): unknown {
  if (isRecord(context) && 'pagination' in context) return context.pagination;
  const root = options.data?.root as unknown as Record<string, unknown> | undefined;
  if (!root) return undefined;
  for (const key of ['album', 'tag', 'search']) {
    const part = root[key];
    if (isRecord(part) && 'pagination' in part) return part.pagination;
  }
  return root.pagination;
}

function label(env: HelperEnv, options: HelperOptions, key: string, values: Record<string, string | number> = {}): string {
  const found = env.translate(siteOf(options)?.locale ?? 'en', key);
  const text = found ? (typeof found.entry === 'string' ? found.entry : found.entry.other) : key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

function builtIn(env: HelperEnv, options: HelperOptions, p: PaginationView): string {
  const prevText = label(env, options, 'Previous');
  const nextText = label(env, options, 'Next');
  const prev = p.prevUrl
    ? html`<a class="pagination__prev" href="${p.prevUrl}" rel="prev">${prevText}</a>`
    : html`<span class="pagination__prev" aria-disabled="true">${prevText}</span>`;
  const next = p.nextUrl
    ? html`<a class="pagination__next" href="${p.nextUrl}" rel="next">${nextText}</a>`
    : html`<span class="pagination__next" aria-disabled="true">${nextText}</span>`;
  const items = p.items
    .map((item) => {
      if (item.kind === 'gap') return '<li class="pagination__gap" aria-hidden="true">…</li>';
      if (!isSafeUrl(item.url) || typeof item.number !== 'number') return '';
      const aria = label(env, options, 'Page {number}', { number: item.number });
      return item.current
        ? html`<li><a href="${item.url}" aria-current="page" aria-label="${aria}">${item.number}</a></li>`
        : html`<li><a href="${item.url}" aria-label="${aria}">${item.number}</a></li>`;
    })
    .join('');
  return html`<nav class="pagination" aria-label="${label(env, options, 'Pagination')}">${new Raw(prev)}<ol class="pagination__pages">${new Raw(items)}</ol>${new Raw(next)}</nav>`;
}

export const paginationHelper: HelperFactory = (env) =>
  function pagination(this: unknown, ...args: unknown[]) {
    const { params, options } = splitArgs(args);
    const value = params.length > 0 ? params[0] : implicitPagination(this, options);
    if (value === null || value === undefined) return '';
    if (!isPagination(value)) return warn(env, options, 'expects a pagination object (album.pagination, search.pagination ...)');
    if (value.pages <= 1) return '';
    const partial = env.hbs.partials.pagination as Handlebars.TemplateDelegate | string | undefined;
    if (partial) {
      const fn = typeof partial === 'string' ? env.hbs.compile(partial) : partial;
      return new Handlebars.SafeString(fn(value, { data: options.data }));
    }
    return new Handlebars.SafeString(builtIn(env, options, value));
  };
