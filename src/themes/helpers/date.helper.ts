/**
 * `date`: formats a date for the page's locale with `Intl.DateTimeFormat`.
 *
 * ```hbs
 * <time datetime="{{photo.takenAt}}">{{date photo.takenAt}}</time>        {{!-- 14 Jun 2024 --}}
 * {{date photo.takenAt format="datetime"}}                              {{!-- 14 Jun 2024, 18:30 --}}
 * {{date album.dateRange.from format="month"}}                          {{!-- June 2024 --}}
 * {{date "now" format="year"}}                                          {{!-- 2025 --}}
 * ```
 *
 * Formats: `short`, `medium` (default), `long`, `full`, `datetime`, `time`, `month`, `year`, `iso`.
 * ISO strings are shown in the wall-clock time they carry (a photo taken at 18:30 in Tokyo shows
 * 18:30 everywhere); pass `timeZone="Europe/Paris"` to convert instead. Invalid dates and
 * unknown formats render nothing and log a warning.
 */
import type { HelperFactory } from './helper.types.js';
import { siteOf, splitArgs, warn } from './helper.support.js';

const FORMATS: Record<string, Intl.DateTimeFormatOptions> = {
  short: { dateStyle: 'short' },
  medium: { dateStyle: 'medium' },
  long: { dateStyle: 'long' },
  full: { dateStyle: 'full' },
  datetime: { dateStyle: 'medium', timeStyle: 'short' },
  time: { timeStyle: 'short' },
  month: { year: 'numeric', month: 'long' },
  year: { year: 'numeric' },
};

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses a date; `wallClock` dates are built in UTC from the digits, ignoring any offset. */
export function parseDate(value: unknown, wallClock: boolean): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (value === 'now') return new Date();
  if (typeof value !== 'string') return null;
  const m = ISO.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = m.slice(1, 8);
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.slice(0, 3).padEnd(3, '0'))] as const;
  const date = wallClock || !m[8] ? new Date(Date.UTC(...parts)) : new Date(value.trim().replace(' ', 'T'));
  if (Number.isNaN(date.getTime())) return null;
  // Reject rollovers such as 2024-02-31.
  const check = new Date(Date.UTC(...parts));
  return check.getUTCMonth() === parts[1] && check.getUTCDate() === parts[2] ? date : null;
}

export const dateHelper: HelperFactory = (env) =>
  function date(this: unknown, ...args: unknown[]) {
    const { params, options } = splitArgs(args);
    const format = options.hash.format ?? 'medium';
    if (typeof format !== 'string' || (format !== 'iso' && !Object.hasOwn(FORMATS, format))) {
      return warn(env, options, `unknown format "${String(format)}" (use ${Object.keys(FORMATS).join(', ')}, iso)`);
    }
    const timeZone = options.hash.timeZone;
    if (timeZone !== undefined && typeof timeZone !== 'string') return warn(env, options, 'timeZone= must be a string');
    const value = params[0];
    const parsed = parseDate(value, timeZone === undefined && value !== 'now');
    if (!parsed) return warn(env, options, `not a date: ${JSON.stringify(value) ?? String(value)}`);
    if (format === 'iso') return parsed.toISOString();
    const locale = siteOf(options)?.locale ?? 'en';
    const zone = timeZone ?? (value === 'now' ? undefined : 'UTC');
    try {
      return new Intl.DateTimeFormat(locale, { ...FORMATS[format], timeZone: zone }).format(parsed);
    } catch {
      try {
        return new Intl.DateTimeFormat('en', { ...FORMATS[format], timeZone: zone }).format(parsed);
      } catch {
        return warn(env, options, `unknown time zone "${String(timeZone)}"`);
      }
    }
  };
