import type Handlebars from 'handlebars';
import { assetHelper } from './asset.helper.js';
import { dateHelper } from './date.helper.js';
import { footHelper } from './foot.helper.js';
import { foreachHelper } from './foreach.helper.js';
import { headHelper } from './head.helper.js';
import type { HelperEnv, HelperFactory } from './helper.types.js';
import { imgSrcsetHelper } from './img-srcset.helper.js';
import { imgUrlHelper } from './img-url.helper.js';
import { isHelper } from './is.helper.js';
import { metaHelper } from './meta.helper.js';
import { paginationHelper } from './pagination.helper.js';
import { tHelper } from './t.helper.js';
import { urlHelper } from './url.helper.js';

/** Vitrine's theme helpers by name. */
export const THEME_HELPERS: Readonly<Record<string, HelperFactory>> = {
  img_url: imgUrlHelper,
  img_srcset: imgSrcsetHelper,
  asset: assetHelper,
  url: urlHelper,
  pagination: paginationHelper,
  t: tHelper,
  date: dateHelper,
  meta: metaHelper,
  head: headHelper,
  foot: footHelper,
  foreach: foreachHelper,
  is: isHelper,
};

/** Helpers Handlebars itself provides. */
export const HANDLEBARS_BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log'] as const;

/** Helpers whose output is HTML built from escaped parts: `{{{name}}}` is fine for these. */
export const SAFE_HTML_HELPERS = ['pagination', 'meta', 'head', 'foot'] as const;

/** Every helper name a theme may call (without plugin helpers). */
export function knownHelperNames(extra: Iterable<string> = []): Set<string> {
  return new Set([...Object.keys(THEME_HELPERS), ...HANDLEBARS_BUILTIN_HELPERS, ...extra]);
}

/**
 * Registers Vitrine's helpers, then `extra` ones (plugin helpers, plain functions), in a theme's
 * Handlebars environment. An extra helper may not replace a built-in one.
 */
export function registerThemeHelpers(
  hbs: typeof Handlebars,
  env: HelperEnv,
  extra: Record<string, Handlebars.HelperDelegate> = {},
): void {
  for (const [name, factory] of Object.entries(THEME_HELPERS)) hbs.registerHelper(name, factory(env));
  for (const [name, helper] of Object.entries(extra)) {
    if (knownHelperNames().has(name)) throw new Error(`Helper "${name}" is built in and cannot be replaced`);
    hbs.registerHelper(name, helper);
  }
}
