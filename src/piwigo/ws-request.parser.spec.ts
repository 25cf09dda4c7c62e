import { describe, expect, it } from 'vitest';
import { parseWsRequest, phpEmpty } from './ws-request.parser.js';
import { unknownFormatResponse } from './ws-response.encoder.js';

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('parseWsRequest: where params come from', () => {
  it('GET: params from the query string, method and format removed', () => {
    const r = parseWsRequest({ httpMethod: 'GET', query: 'format=json&method=pwg.categories.getImages&cat_id=3&per_page=10' });
    expect(r.methodName).toBe('pwg.categories.getImages');
    expect(r.format).toBe('json');
    expect(plain(r.params)).toEqual({ cat_id: '3', per_page: '10' });
    expect(r.isPost).toBe(false);
  });

  it('POST with body fields: params only from the body, method from the body', () => {
    const r = parseWsRequest({
      httpMethod: 'POST',
      query: 'format=json&cat_id=99&method=pwg.nope',
      body: 'method=pwg.categories.add&name=Travel&comment=Trips+abroad',
    });
    expect(r.methodName).toBe('pwg.categories.add');
    expect(plain(r.params)).toEqual({ name: 'Travel', comment: 'Trips abroad' });
    expect(r.isPost).toBe(true);
  });

  it('POST body without method: method from the query string (ws.php?format=json&method=X)', () => {
    const r = parseWsRequest({
      httpMethod: 'POST',
      query: 'format=json&method=pwg.images.upload',
      body: [
        ['chunk', '0'],
        ['name', 'photo.jpg'],
      ],
    });
    expect(r.methodName).toBe('pwg.images.upload');
    expect(plain(r.params)).toEqual({ chunk: '0', name: 'photo.jpg' });
  });

  it('an empty method in the body falls back to the query ("" and "0" are PHP-empty)', () => {
    expect(parseWsRequest({ httpMethod: 'POST', query: 'method=pwg.getVersion', body: 'method=&x=1' }).methodName).toBe('pwg.getVersion');
    expect(parseWsRequest({ httpMethod: 'POST', query: 'method=pwg.getVersion', body: 'method=0' }).methodName).toBe('pwg.getVersion');
    expect(parseWsRequest({ httpMethod: 'GET', query: 'method=0' }).methodName).toBeNull();
    expect(parseWsRequest({ httpMethod: 'GET', query: 'format=json' }).methodName).toBeNull();
  });

  it('an array method never names a method', () => {
    expect(parseWsRequest({ httpMethod: 'GET', query: 'method[]=pwg.getVersion' }).methodName).toBe('Array');
  });

  it('POST without body fields (or only files) is not a POST for Piwigo: params from the query', () => {
    const files = [{ field: 'file', filename: 'a.jpg', contentType: 'image/jpeg', size: 3 }];
    const r = parseWsRequest({ httpMethod: 'POST', query: 'method=pwg.images.upload&name=a', body: [], files });
    expect(r.isPost).toBe(false);
    expect(plain(r.params)).toEqual({ name: 'a' });
    expect(r.files).toEqual(files);
  });

  it('a body on another HTTP method is ignored (PHP only fills $_POST for POST)', () => {
    const r = parseWsRequest({ httpMethod: 'PUT', query: 'method=pwg.getVersion', body: 'a=1' });
    expect(r.isPost).toBe(false);
    expect(plain(r.body)).toEqual({});
  });

  it('a body field named format is dropped but still makes the request a POST', () => {
    const r = parseWsRequest({ httpMethod: 'POST', query: 'method=pwg.getVersion', body: 'format=json' });
    expect(r.isPost).toBe(true);
    expect(r.format).toBe('rest');
    expect(plain(r.params)).toEqual({});
  });

  it('arrays: p[]=1&p[]=2 in query and body, keyed arrays, repeated names', () => {
    const r = parseWsRequest({ httpMethod: 'POST', query: '', body: 'image_id[]=2&image_id[]=1&tags[a]=x&level=1&level=2' });
    expect(plain(r.params)).toEqual({ image_id: ['2', '1'], tags: { a: 'x' }, level: '2' });
  });

  it('accepts already parsed records (framework parsers), both bracket styles', () => {
    expect(plain(parseWsRequest({ httpMethod: 'GET', query: { method: 'm.x', 'p[]': ['1', '2'] } }).params)).toEqual({ p: ['1', '2'] });
    expect(plain(parseWsRequest({ httpMethod: 'GET', query: { method: 'm.x', p: ['1', '2'], q: { a: '1' } } }).params)).toEqual({
      p: ['1', '2'],
      q: { a: '1' },
    });
  });

  it('accepts URLSearchParams and a leading "?"', () => {
    expect(parseWsRequest({ httpMethod: 'GET', query: new URLSearchParams('method=a.b&x=1') }).methodName).toBe('a.b');
    expect(parseWsRequest({ httpMethod: 'GET', query: '?method=a.b' }).methodName).toBe('a.b');
  });
});

describe('parseWsRequest: format', () => {
  it('defaults to rest (XML); json, php, xmlrpc are known', () => {
    expect(parseWsRequest({ httpMethod: 'GET', query: 'method=a.b' }).format).toBe('rest');
    for (const f of ['rest', 'json', 'php', 'xmlrpc']) {
      expect(parseWsRequest({ httpMethod: 'GET', query: `format=${f}` }).format).toBe(f);
    }
  });

  it('only from the query string', () => {
    expect(parseWsRequest({ httpMethod: 'POST', query: '', body: 'format=json&method=a.b' }).format).toBe('rest');
  });

  it('unknown, empty or array formats are unknown (HTTP 400 text/plain)', () => {
    const xml = parseWsRequest({ httpMethod: 'GET', query: 'format=xml' });
    expect(xml.format).toBeNull();
    expect(xml.requestedFormat).toBe('xml');
    expect(parseWsRequest({ httpMethod: 'GET', query: 'format=' }).format).toBeNull();
    expect(parseWsRequest({ httpMethod: 'GET', query: 'format[]=json' }).requestedFormat).toBe('Array');
    expect(parseWsRequest({ httpMethod: 'GET', query: 'format=JSON' }).format).toBeNull();

    const response = unknownFormatResponse('xml');
    expect(response.status).toBe(400);
    expect(response.statusMessage).toBe('Bad request');
    expect(response.contentType).toBe('text/plain;charset=UTF-8');
    expect(response.body.toString()).toBe('Cannot process your request. Unknown response format.\nRequest format: rest Response format: xml\n');
  });
});

describe('phpEmpty', () => {
  it('matches PHP empty() on request values', () => {
    expect([undefined, '', '0', [], {}].every((v) => phpEmpty(v as never))).toBe(true);
    expect(['a', '00', ' ', ['x'], { a: 'x' }].some((v) => phpEmpty(v as never))).toBe(false);
  });
});
