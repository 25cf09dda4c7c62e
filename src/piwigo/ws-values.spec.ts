import { describe, expect, it } from 'vitest';
import { encodeJsonResult } from './ws-json.encoder.js';
import { PwgNamedArray, PwgNamedStruct, WS_XML_ATTRIBUTES, dbRow, dbString, mergeXmlAttributes, structEntries } from './ws-values.js';
import { encodeXmlResult } from './ws-xml.encoder.js';

describe('dbRow: Piwigo’s "DB values are strings unless cast"', () => {
  it('stringifies what the PHP code does not cast', () => {
    const row = dbRow(
      {
        id: 3,
        id_uppercat: 1,
        nb_images: 2,
        global_rank: '1.1',
        representative_picture_id: null,
        visible: true,
        rating_score: 4.5,
        date_last: new Date(Date.UTC(2024, 4, 1, 10, 0, 0)),
        skipped: undefined,
        derivatives: { square: { url: 'u', width: 120, height: 120 } },
      },
      { int: ['id', 'nb_images'], keep: ['derivatives'] },
    );
    expect(encodeJsonResult(row)).toBe(
      '{"stat":"ok","result":{"id":3,"id_uppercat":"1","nb_images":2,"global_rank":"1.1","representative_picture_id":null,' +
        '"visible":"true","rating_score":"4.5","date_last":"2024-05-01 10:00:00","derivatives":{"square":{"url":"u","width":120,"height":120}}}}',
    );
  });

  it('casts like PHP, keeping null', () => {
    expect(dbRow({ a: '12', b: '1.50', c: 'true', d: null, e: 0 }, { int: ['a', 'd'], float: ['b'], bool: ['c', 'e'] })).toEqual({
      a: 12,
      b: 1.5,
      c: true,
      d: null,
      e: false,
    });
  });

  it('dbString', () => {
    expect(dbString(42)).toBe('42');
    expect(dbString(10n)).toBe('10');
    expect(dbString(false)).toBe('false');
    expect(dbString(undefined)).toBeNull();
    expect(() => dbString({})).toThrow(TypeError);
  });
});

describe('PwgNamedStruct attribute rules', () => {
  it('without a list: non-empty keys holding scalars or null, minus xmlElements', () => {
    const s = new PwgNamedStruct({ id: 1, name: 'n', comment: null, '0': 'zero', list: [1], flag: false }, null, ['name']);
    expect([...s.xmlAttributes]).toEqual(['id', 'comment', 'flag']); // '0' is PHP-empty
  });

  it('with a list: exactly those keys', () => {
    expect([...new PwgNamedStruct({ a: 1, b: 2 }, ['b']).xmlAttributes]).toEqual(['b']);
  });
});

describe('keyed arrays', () => {
  it('a Map keeps integer-like keys in insertion order, like a PHP array', () => {
    const value = new Map<string | number, string>([
      [5, 'five'],
      [2, 'two'],
    ]);
    expect(encodeJsonResult(value)).toBe('{"stat":"ok","result":{"5":"five","2":"two"}}');
  });

  it('attributes_xml_ merges into the struct (JSON) and becomes attributes (XML)', () => {
    const rates = { [WS_XML_ATTRIBUTES]: { score: null, count: 0 }, extra: 'x' };
    expect(mergeXmlAttributes(structEntries(rates))).toEqual([
      ['extra', 'x'],
      ['score', null],
      ['count', 0],
    ]);
    expect(encodeXmlResult({ rates })).toBe('<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n<rates score="" count="0">\n\t<extra>x</extra></rates>\n</rsp>');
  });

  it('a named array of scalars', () => {
    expect(encodeXmlResult({ ids: new PwgNamedArray([1, 2], 'id') })).toBe(
      '<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n<ids>\n\t<id>1</id>\n\t<id>2</id></ids>\n</rsp>',
    );
  });
});
