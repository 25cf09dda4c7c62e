import { readFileSync, readdirSync } from 'node:fs';
import express from 'express';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { wsTestContext } from '../../test/fixtures/piwigo/ws-context.fixture.js';
import { API_KEY, goldenApp } from '../../test/fixtures/piwigo/ws-golden.app.js';
import { registerCoreWsMethods } from './ws-core.methods.js';
import { createWsHandler } from './ws-express.handler.js';
import { WsMethodRegistry, defineWsMethod } from './ws-method.registry.js';

interface Golden {
  request: { http: string; url: string; encoding: string; headers: Record<string, string>; params: Record<string, string | string[]>; files: Record<string, { filename: string; size: number; content_type: string }>; cookies: string[] };
  response: { status: number; content_type: string; body: { stat: string; result?: unknown; err?: number; message?: string } };
}
const goldenDir = new URL('../../test/fixtures/piwigo/golden/', import.meta.url);
const goldenFiles = readdirSync(goldenDir);
const golden = (prefix: string): Golden => {
  const name = goldenFiles.find((f) => f.startsWith(`${prefix}-`))!;
  return JSON.parse(readFileSync(new URL(name, goldenDir), 'utf8')) as Golden;
};

/** PHP json_encode of the same structure. */
const phpJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

type Agent = ReturnType<typeof request.agent> | ReturnType<typeof request>;
function replay(client: Agent, g: Golden, token?: string) {
  const { http, url, encoding, params, files, headers } = g.request;
  let req = http === 'GET' ? client.get(url) : client.post(url);
  for (const [name, value] of Object.entries(headers)) {
    req = req.set(name, value.endsWith(':<secret>') && value.startsWith('pkid-20261122') ? API_KEY : value);
  }
  const value = (k: string, v: string) => (k === 'pwg_token' && token && v === 'b6237047325d4afbceddd233a0e80dcc' ? token : v);
  if (encoding === 'urlencoded') {
    const body = Object.entries(params)
      .flatMap(([k, v]) => (Array.isArray(v) ? v.map((item) => [k, item]) : [[k, value(k, v)]]))
      .map(([k, v]) => `${encodeURIComponent(k!)}=${encodeURIComponent(v!)}`)
      .join('&');
    req = req.type('form').send(body);
  } else if (encoding === 'multipart') {
    for (const [k, v] of Object.entries(params)) req = req.field(k, value(k, v as string));
    for (const [field, f] of Object.entries(files)) {
      req = req.attach(field, Buffer.alloc(Math.min(f.size, 4096), 1), { filename: f.filename, contentType: f.content_type });
    }
  }
  return req;
}

function expectLike(res: request.Response, g: Golden, volatile: string[] = []) {
  expect(res.status).toBe(g.response.status);
  expect(res.headers['content-type']).toBe(g.response.content_type);
  const body = JSON.parse(res.text) as { result?: Record<string, unknown> };
  const want = structuredClone(g.response.body) as { result?: Record<string, unknown> };
  for (const key of volatile) {
    expect(body.result?.[key]).toBeTypeOf(typeof want.result?.[key]);
    want.result![key] = body.result![key];
  }
  expect(body).toEqual(want);
  expect(res.text).toBe(phpJson(want));
}

describe('createWsHandler: replaying the golden Piwigo 16.4 exchanges', () => {
  it('session, errors, uploads and API keys behave like the captures', async () => {
    const { app, calls } = goldenApp();
    const jar = request.agent(app);
    const fresh = () => request(app);

    const anonymous = await replay(fresh(), golden('01'));
    expectLike(anonymous, golden('01'), ['pwg_token', 'current_datetime']);
    expect(anonymous.headers['set-cookie']?.[0]).toMatch(/^pwg_id=[0-9a-f]+; path=\/; HttpOnly$/);

    expectLike(await replay(fresh(), golden('02')), golden('02'));
    const viaGet = await replay(fresh(), golden('03'));
    expectLike(viaGet, golden('03'));
    expect((viaGet as unknown as { res: { statusMessage: string } }).res.statusMessage).toBe('This method requires HTTP POST');

    const login = await replay(jar, golden('04'));
    expectLike(login, golden('04'));
    expect(login.headers['set-cookie']).toHaveLength(2);

    const status = await replay(jar, golden('05'));
    expectLike(status, golden('05'), ['pwg_token', 'current_datetime']);
    const token = (JSON.parse(status.text) as { result: { pwg_token: string } }).result.pwg_token;
    expect(token).toMatch(/^[0-9a-f]{32}$/);

    expectLike(await replay(fresh(), golden('06')), golden('06'));
    expectLike(await replay(jar, golden('07')), golden('07'));
    expect(calls.at(-1)).toEqual({
      method: 'pwg.categories.add',
      params: { name: 'Travel', comment: 'Trips abroad', parent: null, visible: true, status: null, commentable: true, position: null, pwg_token: null },
    });

    expectLike(await replay(jar, golden('12')), golden('12'));
    expect(calls.at(-1)?.params).toMatchObject({ category: [2], name: 'First photo', tags: 'nature, travel, another tag', level: 0, file: 'photo_0200.jpg:4096' });
    expectLike(await replay(fresh(), golden('14')), golden('14'));
    expectLike(await replay(jar, golden('15')), golden('15'));

    expectLike(await replay(jar, golden('16'), token), golden('16'));
    expect(calls.at(-1)?.params).toMatchObject({ name: 'photo_0201.jpg', category: [3], chunk: '0', file: 4096 });
    expectLike(await replay(jar, golden('18'), token), golden('18'));

    const completed = await replay(jar, golden('21'), token);
    expect(completed.status).toBe(200);
    expect(calls.at(-1)?.params).toMatchObject({ image_id: [2, 1], category_id: 3 });

    for (const id of ['27', '31', '32']) expectLike(await replay(fresh(), golden(id)), golden(id));
    expectLike(await replay(jar, golden('33')), golden('33'));

    const viaKey = await replay(fresh(), golden('42'));
    expectLike(viaKey, golden('42'), ['pwg_token', 'current_datetime']);
    expectLike(await replay(fresh(), golden('43')), golden('43'));
    expectLike(await replay(fresh(), golden('44')), golden('44'));

    expectLike(await replay(jar, golden('45')), golden('45'));
    expectLike(await replay(jar, golden('46')), golden('46'), ['pwg_token', 'current_datetime']);
  });
});

describe('createWsHandler: adapter details', () => {
  const registry = registerCoreWsMethods(new WsMethodRegistry()).register(
    defineWsMethod({ name: 'test.echo', params: { p: { array: 'accept', optional: true } }, handler: (params, _ctx, call) => ({ p: params.p ?? null, post: call.isPost }) }),
  );
  const app = (setup?: (a: express.Express) => void, options = {}) => {
    const a = express();
    setup?.(a);
    a.all('/ws.php', createWsHandler(registry, () => wsTestContext(), options));
    return a;
  };

  it('answers XML by default, with Piwigo’s content type', async () => {
    const res = await request(app()).get('/ws.php?method=pwg.getVersion');
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.text).toBe('<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n16.4.0\n</rsp>');
    expect(res.headers['etag']).toBeUndefined();
  });

  it('unknown format: HTTP 400 text/plain', async () => {
    const res = await request(app()).get('/ws.php?format=xml&method=pwg.getVersion');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Unknown response format.\nRequest format: rest Response format: xml');
  });

  it('parses p[]=1&p[]=2 from the raw urlencoded body', async () => {
    const res = await request(app()).post('/ws.php?format=json').type('form').send('method=test.echo&p[]=1&p[]=2');
    expect(res.text).toBe('{"stat":"ok","result":{"p":["1","2"],"post":true}}');
  });

  it('works behind a body parser: rawBody (NestJS rawBody: true) or the parsed body', async () => {
    const withRaw = app((a) => a.use(express.urlencoded({ extended: false, verify: (req, _res, buf) => ((req as unknown as { rawBody: Buffer }).rawBody = buf) })));
    expect((await request(withRaw).post('/ws.php?format=json').type('form').send('method=test.echo&p[]=a&p[]=b')).text).toBe(
      '{"stat":"ok","result":{"p":["a","b"],"post":true}}',
    );
    const parsed = app((a) => a.use(express.urlencoded({ extended: true })));
    expect((await request(parsed).post('/ws.php?format=json').type('form').send('method=test.echo&p[]=a&p[]=b')).text).toBe(
      '{"stat":"ok","result":{"p":["a","b"],"post":true}}',
    );
  });

  it('ignores non-form bodies (JSON is not $_POST): params from the query', async () => {
    const res = await request(app()).post('/ws.php?format=json&method=test.echo&p=q').send({ p: 'body' });
    expect(res.text).toBe('{"stat":"ok","result":{"p":"q","post":false}}');
  });

  it('HEAD answers headers only', async () => {
    const res = await request(app()).head('/ws.php?format=json&method=pwg.getVersion');
    expect(res.status).toBe(200);
    expect(res.text).toBeUndefined();
  });

  it('refuses a body over maxBodyBytes with 413', async () => {
    const res = await request(app(undefined, { maxBodyBytes: 10 })).post('/ws.php?format=json').type('form').send('method=test.echo&p=0123456789');
    expect(res.status).toBe(413);
    expect(res.text).toBe('{"stat":"fail","err":413,"message":"Request body too large"}');
  });

  it('multipart without a configured reader is a reported 500', async () => {
    const onError = vi.fn();
    const res = await request(app(undefined, { onError })).post('/ws.php?format=json').field('method', 'test.echo');
    expect(res.status).toBe(500);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('readMultipart') }));
  });
});
