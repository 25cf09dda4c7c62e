import type { LocaleEntry } from './helpers/helper.types.js';

/** Translations of one locale file: English text → translation or plural forms. */
export type LocaleDictionary = Record<string, LocaleEntry>;

const PLURAL_KEYS = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

/** Locale file names: a BCP 47 tag such as `en`, `fr`, `pt-BR`, `zh-Hant`, then `.json`. */
export const LOCALE_FILE = /^([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.json$/;

/** Result of {@link parseLocaleFile}. */
export type LocaleParseResult = { ok: true; dictionary: LocaleDictionary } | { ok: false; problem: string };

/** Parses and validates the text of `locales/<lang>.json`. */
export function parseLocaleFile(text: string): LocaleParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, problem: 'must be an object mapping English texts to translations' };
  }
  for (const [key, value] of Object.entries(json)) {
    if (typeof value === 'string') continue;
    const ok =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      typeof (value as Record<string, unknown>).other === 'string' &&
      Object.entries(value).every(([k, v]) => PLURAL_KEYS.has(k) && typeof v === 'string');
    if (!ok) {
      return {
        ok: false,
        problem: `"${key}" must be a string or plural forms ({"one": "...", "other": "..."}; keys zero, one, two, few, many, other)`,
      };
    }
  }
  return { ok: true, dictionary: json as LocaleDictionary };
}

/**
 * Builds a lookup over a theme's dictionaries (keyed by locale tag, e.g. `fr`, `pt-BR`): tries the
 * exact tag, then shorter prefixes (`pt-BR` → `pt`), then `en`. Tags compare case-insensitively.
 */
export function createTranslator(
  dictionaries: Record<string, LocaleDictionary>,
): (locale: string, key: string) => { entry: LocaleEntry; locale: string } | undefined {
  const byLower = new Map(Object.entries(dictionaries).map(([tag, dict]) => [tag.toLowerCase(), { tag, dict }]));
  const chainCache = new Map<string, { tag: string; dict: LocaleDictionary }[]>();
  const chainFor = (locale: string) => {
    let chain = chainCache.get(locale);
    if (!chain) {
      const parts = locale.toLowerCase().replace(/_/g, '-').split('-');
      const tags: string[] = [];
      for (let n = parts.length; n >= 1; n--) tags.push(parts.slice(0, n).join('-'));
      if (!tags.includes('en')) tags.push('en');
      chain = tags.map((t) => byLower.get(t)).filter((d) => d !== undefined);
      if (chainCache.size < 100) chainCache.set(locale, chain);
    }
    return chain;
  };
  return (locale, key) => {
    for (const { tag, dict } of chainFor(locale)) {
      if (Object.hasOwn(dict, key)) return { entry: dict[key]!, locale: tag };
    }
    return undefined;
  };
}
