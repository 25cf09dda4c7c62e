/**
 * `t`: translates a text with the theme's `locales/<lang>.json`, in the page's locale.
 *
 * ```hbs
 * {{t "Albums"}}
 * {{t "Photo {index} of {total}" index=photo.position.index total=photo.position.total}}
 * {{t "{count} photos" count=album.counts.photos}}
 * {{t label}}                        {{!-- dynamic keys work too, e.g. sort option labels --}}
 * ```
 *
 * Keys are the English text. A locale file maps keys to a translation, or to plural forms chosen
 * by `count` (`{"{count} photos": {"one": "{count} photo", "other": "{count} photos"}}`).
 * Lookup order: `fr-CA.json`, `fr.json`, `en.json`, then the key itself. `{name}` placeholders take
 * the hash values (numbers are formatted for the locale). The result is plain text: `{{t}}`
 * escapes it, placeholders included. A non-string key renders nothing and warns.
 */
import type { HelperFactory, LocaleEntry } from './helper.types.js';
import { siteOf, splitArgs, warn } from './helper.support.js';

function pluralForm(entry: LocaleEntry, locale: string, count: unknown): string {
  if (typeof entry === 'string') return entry;
  if (typeof count !== 'number') return entry.other;
  if (count === 0 && entry.zero !== undefined) return entry.zero;
  let category: Intl.LDMLPluralRule = 'other';
  try {
    category = new Intl.PluralRules(locale).select(count);
  } catch {
    /* unknown locale: keep "other" */
  }
  return entry[category] ?? entry.other;
}

function formatValue(value: unknown, locale: string): string {
  if (typeof value === 'number') {
    try {
      return new Intl.NumberFormat(locale).format(value);
    } catch {
      return String(value);
    }
  }
  return value == null ? '' : String(value);
}

export const tHelper: HelperFactory = (env) =>
  function t(this: unknown, ...args: unknown[]) {
    const { params, options } = splitArgs(args);
    const key = params[0];
    if (typeof key !== 'string' || key === '') return warn(env, options, 'expects a text to translate');
    const locale = siteOf(options)?.locale ?? 'en';
    const found = env.translate(locale, key);
    const text = found ? pluralForm(found.entry, found.locale, options.hash.count) : key;
    const usedLocale = found?.locale ?? 'en';
    return text.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (whole, name: string) =>
      Object.hasOwn(options.hash, name) ? formatValue(options.hash[name], usedLocale) : whole,
    );
  };
