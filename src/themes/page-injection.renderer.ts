import Handlebars from 'handlebars';
import type { PageInjection } from '../hooks/hook-payloads.js';

const e = (value: unknown) => Handlebars.Utils.escapeExpression(value == null ? '' : String(value));

/** Whether a URL may appear in `href`/`src`: root-relative or http(s). */
function safeUrl(url: string): boolean {
  return (url.startsWith('/') && !url.startsWith('//')) || /^https?:\/\/\S+$/i.test(url);
}

/**
 * Turns the `site.head` / `site.foot` filter results into HTML for `{{head}}` / `{{foot}}`.
 * Structured items are escaped attribute by attribute, and URLs must be root-relative or http(s)
 * (others are dropped); `html` items are written as they are: the plugin is trusted with them.
 */
export function renderPageInjections(items: readonly PageInjection[]): string {
  const out: string[] = [];
  for (const item of items) {
    switch (item.kind) {
      case 'meta': {
        const key = item.property !== undefined ? `property="${e(item.property)}"` : item.name !== undefined ? `name="${e(item.name)}"` : null;
        if (key) out.push(`<meta ${key} content="${e(item.content)}">`);
        break;
      }
      case 'link':
        if (safeUrl(item.href)) out.push(`<link rel="${e(item.rel)}" href="${e(item.href)}"${item.type ? ` type="${e(item.type)}"` : ''}>`);
        break;
      case 'stylesheet':
        if (safeUrl(item.href)) out.push(`<link rel="stylesheet" href="${e(item.href)}">`);
        break;
      case 'script':
        if (safeUrl(item.src)) out.push(`<script src="${e(item.src)}"${item.module ? ' type="module"' : ''}${item.defer ? ' defer' : ''}></script>`);
        break;
      case 'html':
        out.push(item.html);
        break;
    }
  }
  return out.join('\n');
}
