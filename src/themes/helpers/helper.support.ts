import Handlebars from 'handlebars';
import type { ImageSizeView, ImageSizesView, SiteView } from '../theme-view.types.js';
import type { HelperEnv, HelperOptions } from './helper.types.js';

/** Shared plumbing for the helpers in this folder. Not part of the theme contract. */

/** Splits a helper call into positional arguments and Handlebars' options object. */
export function splitArgs(args: unknown[]): { params: unknown[]; options: HelperOptions } {
  const options = args[args.length - 1] as HelperOptions;
  return { params: args.slice(0, -1), options };
}

/** Logs a helper warning with the template and line, then returns '' (the helper's output). */
export function warn(env: HelperEnv, options: HelperOptions | undefined, message: string): '' {
  const template = options?.data?.vitrine?.template;
  const line = options?.loc?.start.line;
  const where = template ? ` (${template}${line ? ` line ${line}` : ''})` : '';
  env.logger.warn(`[theme ${env.theme}] ${options?.name ?? 'helper'}: ${message}${where}`, {
    theme: env.theme,
    helper: options?.name,
    template,
    line,
  });
  return '';
}

/** The site of the current render, or undefined outside a render. */
export function siteOf(options: HelperOptions | undefined): SiteView | undefined {
  return options?.data?.site ?? options?.data?.root?.site;
}

export const escape = (value: unknown): string => Handlebars.Utils.escapeExpression(value == null ? '' : String(value));

/** Builds escaped HTML from a template literal: interpolated values are escaped. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? rawOrEscaped(values[i]) : ''), '');
}

/** Marks markup that was already escaped, for use inside {@link html}. */
export class Raw {
  constructor(readonly value: string) {}
}

function rawOrEscaped(value: unknown): string {
  if (value instanceof Raw) return value.value;
  if (value instanceof Handlebars.SafeString) return value.toString();
  return escape(value);
}

/** A site path such as `/gallery`, or '' at the root. */
export function basePathOf(site: SiteView | undefined): string {
  if (!site) return '';
  try {
    return new URL(site.baseUrl).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

/** Whether `url` is safe in an href/src: a root-relative path or an http(s) URL. */
export function isSafeUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url === '') return false;
  if (url.startsWith('/')) return !url.startsWith('//') && !url.startsWith('/\\');
  return /^https?:\/\/[^\s]+$/i.test(url);
}

/** Resolves a root-relative URL against the site's base URL. */
export function absoluteUrl(url: string, site: SiteView | undefined): string | null {
  if (/^https?:\/\//i.test(url)) return url;
  if (!site) return null;
  try {
    return new URL(url, `${site.baseUrl.replace(/\/+$/, '')}/`).href;
  } catch {
    return null;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isImageSize(value: unknown): value is ImageSizeView {
  return (
    isRecord(value) &&
    isSafeUrl(value.url) &&
    typeof value.width === 'number' &&
    typeof value.height === 'number' &&
    value.width > 0 &&
    value.height > 0
  );
}

/** The size map of a photo-like value (anything with `sizes`) or of a size map itself. */
export function sizesOf(value: unknown): ImageSizesView | null {
  if (!isRecord(value)) return null;
  const map = isRecord(value.sizes) ? value.sizes : value;
  const entries = Object.entries(map).filter(([, v]) => isImageSize(v));
  return entries.length > 0 ? (Object.fromEntries(entries) as ImageSizesView) : null;
}
