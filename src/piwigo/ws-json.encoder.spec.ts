import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PwgNamedArray } from './ws-values.js';
import { phpJsonEncode, phpJsonString } from './ws-json.encoder.js';

/** PHP json_encode's string escaping, spelled out character by character (the oracle). */
function oracleString(text: string): string {
  const short: Record<string, string> = { '"': '\\"', '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '"';
  for (const ch of text.split('')) {
    const code = ch.charCodeAt(0);
    out += short[ch] ?? (code < 0x20 || code >= 0x80 ? `\\u${code.toString(16).padStart(4, '0')}` : ch);
  }
  return `${out}"`;
}

describe('phpJsonString / phpJsonEncode fast path', () => {
  it('escapes every string exactly as the character-by-character oracle', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      expect(phpJsonString(s)).toBe(oracleString(s));
    }), { numRuns: 2000 });
    for (const s of ['', '/', 'a/b', '\u007f', '\u2028', '\ud83d', 'é/😀']) expect(phpJsonString(s)).toBe(oracleString(s));
  });

  it('keeps PHP array semantics: 0..n-1 keys are lists, other keys objects, undefined members dropped', () => {
    expect(phpJsonEncode({ 0: 'a', 1: 'b' })).toBe('["a","b"]');
    expect(phpJsonEncode({ 1: 'a' })).toBe('{"1":"a"}');
    expect(phpJsonEncode({ a: 1, b: undefined, c: [true, null] })).toBe('{"a":1,"c":[true,null]}');
    expect(phpJsonEncode({})).toBe('[]');
    expect(phpJsonEncode(new PwgNamedArray([{ id: 1, url: 'http://x/y' }], 'item'))).toBe('[{"id":1,"url":"http:\\/\\/x\\/y"}]');
    expect(phpJsonEncode({ attributes_xml_: { id: 2 }, name: 'n' })).toBe('{"name":"n","id":2}'); // array_merge appends new keys
  });

  it('still names the path of a value PHP could not have produced', () => {
    expect(() => phpJsonEncode({ list: [1, new Date(0) as never] })).toThrow(/result\.list\[1\]/);
  });
});
