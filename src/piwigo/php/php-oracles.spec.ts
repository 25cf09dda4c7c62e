import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePhpQuery, type PhpInputValue } from './php-fields.parser.js';
import { phpFilterBool, phpFilterFloat, phpFilterInt, phpIsNumeric } from './php-filter.validator.js';
import { phpGcvt, phpJsonNumber, phpSerializeFloat, phpStringNumber } from './php-float.formatter.js';
import { strnatcmp } from './php-natural.comparator.js';

/** Expectations produced by PHP 8.2 itself (test/fixtures/piwigo/generate-php-oracles.php). */
interface Oracles {
  floats: Array<[string, string, string, string]>;
  filter: Array<{ input: string; int: unknown; int0: unknown; int1: unknown; float: unknown; bool: unknown }>;
  natsort: string[];
  queries: Array<{ query: string; result: Canon }>;
}
type Canon = string | { list: boolean; pairs: Array<[string, Canon]> };

const oracles = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/piwigo/php-oracles.json', import.meta.url), 'utf8'),
) as Oracles;

const fromHex = (hex: string): number => Buffer.from(hex, 'hex').readDoubleBE(0);
/** The oracle writes PHP false/null as strings. */
const php = (value: unknown): unknown => (value === 'false' || value === 'null' ? null : value);

describe('float formatting = PHP (json_encode, (string), serialize)', () => {
  it.each(oracles.floats)('%s', (hex, json, text, serialized) => {
    const value = fromHex(hex);
    expect(phpJsonNumber(value)).toBe(json);
    expect(phpStringNumber(value)).toBe(text);
    expect(`d:${phpSerializeFloat(value)};`).toBe(serialized);
  });

  it('integral numbers are PHP ints; special values', () => {
    expect(phpJsonNumber(1e15)).toBe('1000000000000000');
    expect(phpJsonNumber(12n)).toBe('12');
    expect(phpGcvt(Number.POSITIVE_INFINITY, 14, 'E')).toBe('INF');
    expect(phpGcvt(Number.NaN, 14, 'E')).toBe('NAN');
    expect(phpGcvt(-0, 0, 'e')).toBe('-0');
    expect(() => phpJsonNumber(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});

describe('filter_var = PHP', () => {
  it.each(oracles.filter.map((f) => [JSON.stringify(f.input), f] as const))('%s', (_label, f) => {
    expect(phpFilterInt(f.input)).toBe(php(f.int) === null ? null : Number(f.int));
    expect(phpFilterInt(f.input, 0)).toBe(php(f.int0) === null ? null : Number(f.int0));
    expect(phpFilterInt(f.input, 1)).toBe(php(f.int1) === null ? null : Number(f.int1));
    expect(phpFilterFloat(f.input)).toBe(php(f.float));
    expect(phpFilterBool(f.input)).toBe(php(f.bool) === null ? (f.bool === 'false' ? false : null) : f.bool);
  });

  it('refuses non-strings (nested arrays from the request)', () => {
    expect(phpFilterInt(['1'])).toBeNull();
    expect(phpFilterFloat({ a: '1' })).toBeNull();
    expect(phpFilterBool(['1'])).toBeNull();
  });

  it('is_numeric', () => {
    expect(['1', ' 1', '1 ', '1.5', '.5', '5.', '1e3', '-2', '+3'].every(phpIsNumeric)).toBe(true);
    expect(['', 'a1', '1a', '0x1A', '1e', 'e1', '.', '5502b0d7'].some(phpIsNumeric)).toBe(false);
  });
});

describe('strnatcmp = PHP', () => {
  it('sorts like usort(…, "strnatcmp") (both sorts are stable: ties keep input order)', () => {
    const inputs = JSON.parse(readFileSync(new URL('../../../test/fixtures/piwigo/php-oracle-inputs.json', import.meta.url), 'utf8')) as {
      natsort: string[];
    };
    expect([...inputs.natsort].sort(strnatcmp)).toEqual(oracles.natsort);
    expect(strnatcmp('9', '009')).toBe(0);
    expect(strnatcmp('img 3', 'img  3')).toBe(0);
  });

  it('basic natural order', () => {
    expect(strnatcmp('img2', 'img10')).toBe(-1);
    expect(strnatcmp('img10', 'img2')).toBe(1);
    expect(strnatcmp('pwg.images.add', 'pwg.images.addChunk')).toBe(-1);
    expect(strnatcmp('a', 'a')).toBe(0);
  });
});

/** Canonical form with PHP's key order kept for string keys; integer-like keys compared as a set. */
function canonOf(value: PhpInputValue): Canon {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return { list: true, pairs: value.map((v, i) => [String(i), canonOf(v)]) };
  return { list: false, pairs: Object.entries(value).map(([k, v]) => [k, canonOf(v)]) };
}
function normalise(canon: Canon): unknown {
  if (typeof canon === 'string') return canon;
  const pairs = canon.pairs.map(([k, v]) => [k, normalise(v)] as const);
  const intKeys = pairs.filter(([k]) => /^(0|-?[1-9]\d*)$/.test(k)).sort(([a], [b]) => Number(a) - Number(b));
  return { list: canon.list, pairs: [...intKeys, ...pairs.filter(([k]) => !/^(0|-?[1-9]\d*)$/.test(k))] };
}

describe('query/body parsing = PHP parse_str ($_GET/$_POST registration)', () => {
  it.each(oracles.queries.map((q) => [q.query, q.result] as const))('%s', (query, result) => {
    const mine = canonOf(parsePhpQuery(query));
    expect(normalise(mine)).toEqual(normalise(result));
  });

  it('keeps PHP order for string keys', () => {
    expect(Object.keys(parsePhpQuery('z=1&a=2&m[]=3'))).toEqual(['z', 'a', 'm']);
  });

  it('max_input_vars drops the rest', () => {
    expect(Object.keys(parsePhpQuery('a=1&b=2&c=3', { maxInputVars: 2 }))).toEqual(['a', 'b']);
  });

  it('max_input_nesting_level drops deeper variables', () => {
    expect(parsePhpQuery('a[b][c]=1&d=2', { maxNestingLevel: 1 })).toEqual({ d: '2' });
  });
});
