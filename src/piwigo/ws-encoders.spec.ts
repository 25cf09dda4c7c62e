import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WsError } from './ws-error.js';
import { encodeJsonError, encodeJsonResult, phpJsonString } from './ws-json.encoder.js';
import { encodePhpError, encodePhpResult, encodeXmlRpcError, encodeXmlRpcResult } from './ws-legacy.encoder.js';
import { PwgNamedArray, PwgNamedStruct, type WsValue } from './ws-values.js';
import { encodeXmlError, encodeXmlResult } from './ws-xml.encoder.js';

const fixtures = new URL('../../test/fixtures/piwigo/', import.meta.url);
const readJson = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as T;

type Dsl = unknown;
interface Case {
  name: string;
  value: Dsl;
}
type Expected = Record<string, Record<'rest' | 'json' | 'php' | 'xmlrpc', string>>;

/** Builds the TS value of a case (same DSL as generate-encoder-expected.php). */
function build(value: Dsl): WsValue | WsError {
  if (Array.isArray(value)) return value.map((v) => build(v) as WsValue);
  if (value === null || typeof value !== 'object') return value as WsValue;
  const o = value as Record<string, unknown>;
  if ('$named_array' in o) return new PwgNamedArray(build(o['$named_array']) as WsValue[], o['$item'] as string, (o['$attrs'] as string[]) ?? []);
  if ('$named_struct' in o) {
    return new PwgNamedStruct(build(o['$named_struct']) as never, o['$attrs'] as string[] | null, o['$elements'] as string[] | null);
  }
  if ('$map' in o) return new Map((o['$map'] as Array<[string, Dsl]>).map(([k, v]) => [k, build(v) as WsValue]));
  if ('$error' in o) {
    const [code, message] = o['$error'] as [number, string];
    return new WsError(code, message);
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, build(v) as WsValue]));
}

describe('encoders against the output of Piwigo’s own encoders (PHP 8.2)', () => {
  const cases = readJson<Case[]>('encoder-cases.json');
  const expected = readJson<Expected>('encoder-expected.json');

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const value = build(testCase.value);
    const want = expected[testCase.name]!;
    if (value instanceof WsError) {
      expect(encodeXmlError(value)).toBe(want.rest);
      expect(encodeJsonError(value)).toBe(want.json);
      expect(encodePhpError(value)).toBe(want.php);
      expect(encodeXmlRpcError(value)).toBe(want.xmlrpc);
    } else {
      expect(encodeXmlResult(value)).toBe(want.rest);
      expect(encodeJsonResult(value)).toBe(want.json);
      expect(encodePhpResult(value)).toBe(want.php);
      expect(encodeXmlRpcResult(value)).toBe(want.xmlrpc);
    }
  });
});

describe('XML samples of the reference (piwigo.md §1.1), byte for byte', () => {
  it('categories.add', () => {
    expect(encodeXmlResult({ info: 'Album added', id: 12 })).toBe(
      '<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n<info>Album added</info><id>12</id>\n</rsp>',
    );
  });

  it('scalars: bool as 1/0, null as empty', () => {
    expect(encodeXmlResult(true)).toBe('<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n1\n</rsp>');
    expect(encodeXmlResult(false)).toBe('<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n0\n</rsp>');
    expect(encodeXmlResult(null)).toBe('<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n\n</rsp>');
  });

  it('failure', () => {
    expect(encodeXmlError(new WsError(999, 'Invalid username/password'))).toBe(
      '<?xml version="1.0"?>\n<rsp stat="fail">\n\t<err code="999" msg="Invalid username/password" />\n</rsp>',
    );
  });

  it('digit-leading names get "_", nulls are omitted', () => {
    expect(encodeXmlResult({ '1bc1': '7', ffff: null })).toBe('<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n<_1bc1>7</_1bc1>\n</rsp>');
  });

  it('a named list: attributes in data key order, tab-indented children, no newline before closing tags', () => {
    const categories = new PwgNamedArray(
      [{ id: 3, name: 'Holidays', comment: '', status: 'public', nb_images: 2, url: 'u', tn_url: 't' }],
      'category',
      ['url', 'status', 'id', 'nb_images'],
    );
    expect(encodeXmlResult({ categories })).toBe(
      '<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n' +
        '<categories>\n\t<category id="3" status="public" nb_images="2" url="u">\n\t\t<name>Holidays</name>\n' +
        '\t\t<comment></comment>\n\t\t<tn_url>t</tn_url></category></categories>\n</rsp>',
    );
  });
});

describe('JSON: PHP json_encode defaults', () => {
  it('escapes / and non-ASCII (surrogate pairs), lowercase hex, keeps < > & \'', () => {
    expect(phpJsonString('a/b é 😀 <>&\' \u0001 \u007f')).toBe('"a\\/b \\u00e9 \\ud83d\\ude00 <>&\' \\u0001 \u007f"');
  });

  it('envelopes', () => {
    expect(encodeJsonResult(null)).toBe('{"stat":"ok","result":null}');
    expect(encodeJsonResult(true)).toBe('{"stat":"ok","result":true}');
    expect(encodeJsonError(new WsError(999, 'Invalid username/password'))).toBe(
      '{"stat":"fail","err":999,"message":"Invalid username\\/password"}',
    );
  });

  it('undefined members are absent keys; empty objects are PHP empty arrays', () => {
    expect(encodeJsonResult({ a: undefined, b: {} })).toBe('{"stat":"ok","result":{"b":[]}}');
  });

  it('refuses values PHP cannot produce', () => {
    expect(() => encodeJsonResult({ when: new Date() as unknown as WsValue })).toThrow(/Date at result\.when/);
    expect(() => encodeJsonResult(Number.NaN)).toThrow(TypeError);
    expect(() => encodeXmlResult({ when: new Date() as unknown as WsValue })).toThrow(/Date at result\.when/);
  });
});

describe('golden response bodies re-encoded (Piwigo 16.4 captures)', () => {
  const dir = new URL('golden/', fixtures);
  const goldens = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { response: { body: unknown; content_type: string } }] as const)
    .filter(([, g]) => typeof g.response.body === 'object');

  it('covers the captured ws.php exchanges', () => {
    expect(goldens.length).toBeGreaterThanOrEqual(40);
  });

  it.each(goldens)('%s', (_file, golden) => {
    const body = golden.response.body as { stat: string; result?: WsValue; err?: number; message?: string };
    const encoded = body.stat === 'ok' ? encodeJsonResult(body.result as WsValue) : encodeJsonError(new WsError(body.err!, body.message!));
    expect(JSON.parse(encoded)).toEqual(body);
    // What PHP writes for the same structure: JSON with "/" and non-ASCII escaped, no spaces.
    const php = JSON.stringify(body)
      .replace(/\//g, '\\/')
      .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(encoded).toBe(php);
    expect(golden.response.content_type).toBe('text/plain; charset=utf-8');
  });
});
