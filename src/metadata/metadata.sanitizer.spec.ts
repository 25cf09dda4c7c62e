import { describe, expect, it } from 'vitest';
import {
  cleanGps,
  cleanNumber,
  cleanOrientation,
  cleanRating,
  cleanTags,
  cleanText,
  decodeXmlReferences,
  repairLatin1,
  toBoundedJson,
  truncate,
} from './metadata.sanitizer.js';

describe('cleanText', () => {
  it('strips U+0000 and other control characters, keeps printable text', () => {
    expect(cleanText('Caption\u0000 here\u0007\u001b[31m', 100)).toBe('Caption here[31m');
    expect(cleanText('a\u0085b\u009fc\u007fd', 100)).toBe('abcd');
  });

  it('turns whitespace runs into one space for single-line fields, keeps paragraphs in multiline ones', () => {
    expect(cleanText('  one\n\ttwo  \r\n three ', 100)).toBe('one two three');
    expect(cleanText('one\r\n\r\n\r\n\r\ntwo  \n  three', 100, { multiline: true })).toBe('one\n\ntwo\nthree');
  });

  it('repairs invalid UTF-8 bytes and lone surrogates with U+FFFD', () => {
    expect(cleanText(new Uint8Array([0x4a, 0xc3, 0x28, 0xff, 0x41]), 100)).toBe('J\uFFFD(\uFFFDA');
    expect(cleanText('bad \uD800 pair', 100)).toBe('bad \uFFFD pair');
    expect(cleanText('good \uD83D\uDE00', 100)).toBe('good 😀');
  });

  it('removes bidi override and isolate controls, BOM and non-characters', () => {
    expect(cleanText('\uFEFFinvoice\u202Egpj.exe\u2066x\u2069\uFFFF', 100)).toBe('invoicegpj.exex');
  });

  it('normalises to NFC', () => {
    expect(cleanText('cafe\u0301', 100)).toBe('café');
  });

  it('caps by code points without splitting emoji', () => {
    expect(cleanText('😀'.repeat(10), 3)).toBe('😀😀😀');
    expect(truncate('abcdef', 4)).toBe('abcd');
    expect(cleanText('x'.repeat(5000), 1000)).toHaveLength(1000);
  });

  it('returns null for empty, whitespace-only, control-only and non-text values', () => {
    for (const value of ['', '   ', '\u0000\u0004', undefined, null, {}, [], Number.NaN]) expect(cleanText(value, 10)).toBeNull();
    expect(cleanText(42, 10)).toBe('42');
  });

  it('keeps markup as text (escaping is the output layer’s job)', () => {
    expect(cleanText('<script>alert(1)</script>', 100)).toBe('<script>alert(1)</script>');
  });

  it('decodes XML references only when asked', () => {
    expect(cleanText('Fish &amp; Chips', 100)).toBe('Fish &amp; Chips');
    expect(cleanText('Fish &amp; Chips', 100, { xml: true })).toBe('Fish & Chips');
  });
});

describe('repairLatin1 and decodeXmlReferences', () => {
  it('re-decodes UTF-8 that was read as Latin-1, leaves real Latin-1 alone', () => {
    expect(repairLatin1('cafÃ©')).toBe('café');
    expect(repairLatin1('caf\u00e9')).toBe('caf\u00e9');
    expect(repairLatin1('plain')).toBe('plain');
    expect(repairLatin1('Ã© and ✓')).toBe('Ã© and ✓');
  });

  it('decodes the predefined entities and numeric references, never custom entities', () => {
    expect(decodeXmlReferences('&lt;b&gt; &quot;&apos; &#233; &#x1F600;')).toBe('<b> "\' é 😀');
    expect(decodeXmlReferences('&xxe; &#0; &#xD800;')).toBe('&xxe;  ');
  });
});

describe('numbers, ratings, orientation and GPS', () => {
  it('accepts finite numbers in range, digit strings, fractions and one-element arrays', () => {
    expect(cleanNumber('1/250', { min: 0, max: 10 })).toBe(0.004);
    expect(cleanNumber([400, 0], { min: 1, max: 1e7, integer: true })).toBe(400);
    expect(cleanNumber(' 2.8 ', { min: 0, max: 1000 })).toBe(2.8);
    expect(cleanNumber(0, { min: 0, max: 10, exclusiveMin: true })).toBeNull();
    expect(cleanNumber(Number.POSITIVE_INFINITY, { min: 0, max: 10 })).toBeNull();
    expect(cleanNumber('1/0', { min: 0, max: 10 })).toBeNull();
    expect(cleanNumber('abc', { min: 0, max: 10 })).toBeNull();
  });

  it('keeps ratings 0–5 and drops Lightroom’s −1 and nonsense', () => {
    expect([0, 3, 5, 4.6, -1, 6, 9].map(cleanRating)).toEqual([0, 3, 5, 5, null, null, null]);
  });

  it('keeps orientations 1–8 only', () => {
    expect([1, 6, 8, 0, 9, 6.5, '3'].map(cleanOrientation)).toEqual([1, 6, 8, null, null, null, 3]);
  });

  it('drops impossible coordinates and Null Island', () => {
    expect(cleanGps(40.6892, -74.0445)).toEqual({ latitude: 40.6892, longitude: -74.0445 });
    expect(cleanGps(95, 10)).toBeNull();
    expect(cleanGps(10, 200)).toBeNull();
    expect(cleanGps(0, 0)).toBeNull();
    expect(cleanGps(Number.NaN, 1)).toBeNull();
    expect(cleanGps(0, 10)).toEqual({ latitude: 0, longitude: 10 });
  });
});

describe('cleanTags', () => {
  it('merges sources, splits single strings, deduplicates case-insensitively keeping the first spelling', () => {
    expect(cleanTags([[['Paris', 'tower']], ['paris, Night ;  ', {}], [['TOWER', 'cafÃ©'], { repairLatin1: true }]])).toEqual([
      'Paris',
      'tower',
      'Night',
      'café',
    ]);
  });

  it('caps the number of tags and their length', () => {
    const many = Array.from({ length: 500 }, (_, i) => `tag${i}`);
    const tags = cleanTags([[many], [['y'.repeat(300)]]]);
    expect(tags).toHaveLength(100);
    expect(cleanTags([[['y'.repeat(300)]]])[0]).toHaveLength(100);
  });
});

describe('toBoundedJson', () => {
  it('keeps JSON-safe values and drops binary, non-finite numbers, functions and undefined', () => {
    const out = toBoundedJson({
      a: 'x\u0000y',
      b: 1.5,
      c: Number.NaN,
      d: new Uint8Array([1, 2]),
      e: () => 1,
      f: undefined,
      g: true,
      h: new Date('2024-01-02T03:04:05Z'),
      i: [1, 'two', Number.POSITIVE_INFINITY],
      j: null,
    });
    expect(out).toEqual({ a: 'xy', b: 1.5, g: true, h: '2024-01-02T03:04:05.000Z', i: [1, 'two'], j: null });
  });

  it('refuses dangerous or odd keys', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1, "bad key": 2, "<script>": 3}') as Record<string, unknown>;
    const out = toBoundedJson(input);
    expect(out).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('caps arrays, string lengths and depth', () => {
    const out = toBoundedJson({ list: Array.from({ length: 1000 }, (_, i) => i), text: 'z'.repeat(5000), deep: { a: { b: { c: { d: 1 } } } } });
    expect(out.list).toHaveLength(100);
    expect(out.text).toHaveLength(1000);
    expect(out.deep).toEqual({ a: { b: {} } });
  });

  it('stays under the byte budget and says it truncated', () => {
    const input = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v'.repeat(900)]));
    const out = toBoundedJson(input, 10_000);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThanOrEqual(10_000);
    expect(out._truncated).toBe(true);
    expect(Object.keys(out).length).toBeGreaterThan(5);
  });
});
