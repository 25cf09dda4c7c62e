/** Largest stored summary, in characters of JSON. */
export const MAX_SUMMARY_CHARS = 4000;
const MAX_STRING = 300;
const MAX_KEYS = 30;
const MAX_ITEMS = 20;
const MAX_DEPTH = 4;

/** Keys whose values are never stored, whatever the caller passes. */
const SECRET_KEY = /pass(word|wd|phrase)?$|secret|token|^key$|apikey$|api_key$|hash$|authorization|cookie|credential|^sid$/i;

/**
 * Makes a summary safe to store: secrets redacted by key name, strings cut to 300 characters and
 * stripped of NUL (Postgres `jsonb` refuses U+0000), at most 30 keys, 20 array items, 4 levels,
 * and 4000 characters of JSON in all (a larger one is replaced by its key list).
 */
export function boundSummary(summary: Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (!summary) return {};
  const bounded = boundValue(summary, 0) as Record<string, unknown>;
  const json = JSON.stringify(bounded);
  if (json.length <= MAX_SUMMARY_CHARS) return bounded;
  return { truncated: true, keys: Object.keys(bounded).slice(0, MAX_KEYS) };
}

function boundValue(value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return boundString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => boundValue(v, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `[+${value.length - MAX_ITEMS} more]`] : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>).slice(0, MAX_KEYS)) {
      const safeKey = boundString(key).slice(0, 100);
      out[safeKey] = SECRET_KEY.test(key) ? '[redacted]' : boundValue(v, depth + 1);
    }
    return out;
  }
  return null; // functions, symbols
}

function boundString(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/\u0000/g, '');
  return clean.length > MAX_STRING ? `${clean.slice(0, MAX_STRING)}…` : clean;
}
