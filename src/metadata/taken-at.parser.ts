import { METADATA_LIMITS } from './metadata.model.js';

/** A capture time: the instant, and the UTC offset it was recorded in when known. */
export interface TakenAt {
  date: Date;
  /** `±HH:MM`, or null for floating (offset-less) camera time stored as if UTC. */
  offset: string | null;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC, or null when unknown. */
  offsetMinutes: number | null;
}

/** EXIF `YYYY:MM:DD HH:MM:SS` plus optional OffsetTime* (`+02:00`) and SubSecTime* (`123`). */
export function parseExifDate(value: unknown, offset?: unknown, subSeconds?: unknown, now = new Date()): TakenAt | null {
  if (typeof value !== 'string') return null;
  const m = /^\s*(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  if (!m) return null;
  const sub = typeof subSeconds === 'string' || typeof subSeconds === 'number' ? String(subSeconds).trim() : '';
  return build(
    {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6] ?? 0),
      millisecond: /^\d{1,9}$/.test(sub) ? Math.floor(Number(`0.${sub}`) * 1000) : 0,
      offsetMinutes: parseOffset(offset),
    },
    now,
  );
}

/** XMP / ISO 8601: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh:mm]`. */
export function parseIsoDate(value: unknown, now = new Date()): TakenAt | null {
  if (typeof value !== 'string') return null;
  const m = /^\s*(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?)?)?\s*$/.exec(value);
  if (!m) return null;
  return build(
    {
      year: Number(m[1]),
      month: Number(m[2] ?? 1),
      day: Number(m[3] ?? 1),
      hour: Number(m[4] ?? 0),
      minute: Number(m[5] ?? 0),
      second: Number(m[6] ?? 0),
      millisecond: m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0,
      offsetMinutes: m[8] ? parseOffset(m[8]) : null,
    },
    now,
  );
}

/** IPTC DateCreated `YYYYMMDD` (2:55) with optional TimeCreated `HHMMSS±HHMM` (2:60). */
export function parseIptcDate(date: unknown, time: unknown, now = new Date()): TakenAt | null {
  if (typeof date !== 'string') return null;
  const d = /^\s*(\d{4})(\d{2})(\d{2})\s*$/.exec(date);
  if (!d) return null;
  const t = typeof time === 'string' ? /^\s*(\d{2}):?(\d{2}):?(\d{2})([+-]\d{2}:?\d{2})?\s*$/.exec(time) : null;
  return build(
    {
      year: Number(d[1]),
      month: Number(d[2]),
      day: Number(d[3]),
      hour: Number(t?.[1] ?? 0),
      minute: Number(t?.[2] ?? 0),
      second: Number(t?.[3] ?? 0),
      millisecond: 0,
      offsetMinutes: t?.[4] ? parseOffset(t[4]) : null,
    },
    now,
  );
}

/** `+02:00`, `-0530`, `Z` → minutes east of UTC; null when absent or impossible (beyond ±14 h). */
export function parseOffset(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  if (value.trim() === 'Z') return 0;
  const m = /^\s*([+-])(\d{2}):?(\d{2})\s*$/.exec(value);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[3]) > 59 || minutes > 14 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Validates every component (no Feb 30, no hour 24) and the plausible range of years. */
function build(p: Parts, now: Date): TakenAt | null {
  if (p.year < METADATA_LIMITS.earliestYear || p.month < 1 || p.month > 12 || p.day < 1) return null;
  if (p.day > new Date(Date.UTC(p.year, p.month, 0)).getUTCDate()) return null;
  if (p.hour > 23 || p.minute > 59 || p.second > 60) return null;
  const wallClock = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, Math.min(p.second, 59), p.millisecond);
  const instant = wallClock - (p.offsetMinutes ?? 0) * 60_000;
  if (instant > now.getTime() + METADATA_LIMITS.futureDays * 86_400_000) return null;
  return { date: new Date(instant), offset: p.offsetMinutes === null ? null : formatOffset(p.offsetMinutes) };
}
