import { describe, expect, it } from 'vitest';
import { parseExifDate, parseIptcDate, parseIsoDate, parseOffset } from './taken-at.parser.js';

const now = new Date('2025-06-01T12:00:00Z');
const iso = (t: { date: Date; offset: string | null } | null) => (t ? [t.date.toISOString(), t.offset] : null);

describe('parseExifDate', () => {
  it('uses OffsetTimeOriginal to get the true instant and keeps the offset', () => {
    expect(iso(parseExifDate('2024:05:02 08:00:00', '+02:00', undefined, now))).toEqual(['2024-05-02T06:00:00.000Z', '+02:00']);
    expect(iso(parseExifDate('2024:05:02 08:00:00', '-05:30', '25', now))).toEqual(['2024-05-02T13:30:00.250Z', '-05:30']);
  });

  it('stores wall-clock time as UTC with a null offset when the offset is missing or impossible', () => {
    expect(iso(parseExifDate('2024:05:02 08:00:00', undefined, undefined, now))).toEqual(['2024-05-02T08:00:00.000Z', null]);
    expect(iso(parseExifDate('2024:05:02 08:00:00', '+15:00', undefined, now))).toEqual(['2024-05-02T08:00:00.000Z', null]);
    expect(iso(parseExifDate('2024:05:02 08:00:00', '   :  ', undefined, now))).toEqual(['2024-05-02T08:00:00.000Z', null]);
  });

  it.each([
    ['1700:01:01 00:00:00', 'before photography'],
    ['1825:12:31 23:59:59', 'before 1826'],
    ['2999:01:01 00:00:00', 'far future'],
    ['2026:06:03 12:00:00', 'more than a year ahead'],
    ['0000:00:00 00:00:00', 'zeroed by the camera'],
    ['2023:02:29 10:00:00', 'no such day'],
    ['2024:13:01 10:00:00', 'no such month'],
    ['2024:01:01 24:00:00', 'no such hour'],
    ['garbage', 'not a date'],
  ])('drops %s (%s)', (value) => {
    expect(parseExifDate(value, undefined, undefined, now)).toBeNull();
  });

  it('keeps the earliest plausible year and dates a little ahead (camera clock drift)', () => {
    expect(parseExifDate('1826:06:01 00:00:00', undefined, undefined, now)).not.toBeNull();
    expect(parseExifDate('2025:12:24 00:00:00', undefined, undefined, now)).not.toBeNull();
    expect(parseExifDate('2024:02:29 10:00:00', undefined, undefined, now)).not.toBeNull();
  });

  it('ignores non-strings', () => {
    expect(parseExifDate(new Date(), undefined, undefined, now)).toBeNull();
    expect(parseExifDate(20240101, undefined, undefined, now)).toBeNull();
  });
});

describe('parseIsoDate (XMP)', () => {
  it('reads full timestamps with Z or an offset, and partial dates as floating time', () => {
    expect(iso(parseIsoDate('2024-05-02T08:00:00+02:00', now))).toEqual(['2024-05-02T06:00:00.000Z', '+02:00']);
    expect(iso(parseIsoDate('2024-05-02T08:00:00.5Z', now))).toEqual(['2024-05-02T08:00:00.500Z', '+00:00']);
    expect(iso(parseIsoDate('2024-05-02T08:00', now))).toEqual(['2024-05-02T08:00:00.000Z', null]);
    expect(iso(parseIsoDate('2024-05', now))).toEqual(['2024-05-01T00:00:00.000Z', null]);
    expect(parseIsoDate('0000-00-00', now)).toBeNull();
    expect(parseIsoDate('2024-05-02 08:00', now)).toBeNull();
  });
});

describe('parseIptcDate', () => {
  it('combines DateCreated and TimeCreated', () => {
    expect(iso(parseIptcDate('20240502', '080000+0200', now))).toEqual(['2024-05-02T06:00:00.000Z', '+02:00']);
    expect(iso(parseIptcDate('20240502', undefined, now))).toEqual(['2024-05-02T00:00:00.000Z', null]);
    expect(parseIptcDate('00000000', '000000', now)).toBeNull();
  });
});

describe('parseOffset', () => {
  it('reads ±HH:MM, ±HHMM and Z, bounded to ±14 h', () => {
    expect(['+02:00', '-0530', 'Z', '+14:00', '+14:01', '+02:60', 'x'].map(parseOffset)).toEqual([120, -330, 0, 840, null, null, null]);
  });
});
