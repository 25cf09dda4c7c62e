import { describe, expect, it, vi } from 'vitest';
import { wsTestContext } from '../../test/fixtures/piwigo/ws-context.fixture.js';
import { Errors, VitrineError } from '../common/errors.js';
import { WsError } from './ws-error.js';
import { WsInvoker, type WsInvocation } from './ws-invoker.js';
import { WsMethodRegistry, defineWsMethod } from './ws-method.registry.js';
import { parseWsRequest } from './ws-request.parser.js';
import { encodeWsResponse } from './ws-response.encoder.js';

const seen: Array<Record<string, unknown>> = [];
const echo = (params: Record<string, unknown>) => {
  seen.push({ ...params });
  return true;
};

function registry(): WsMethodRegistry {
  return new WsMethodRegistry().registerAll([
    defineWsMethod({ name: 'test.admin', adminOnly: true, postOnly: true, params: { name: {} }, handler: echo }),
    defineWsMethod({ name: 'test.adminOnly', adminOnly: true, params: { name: {} }, handler: echo }),
    defineWsMethod({ name: 'test.keyless', apiKeyForbidden: true, handler: echo }),
    defineWsMethod({ name: 'pwg.users.setInfo', handler: echo }),
    defineWsMethod({ name: 'pwg.session.getStatus', handler: echo }),
    defineWsMethod({ name: 'reflection.x', handler: echo }),
    defineWsMethod({
      name: 'test.params',
      params: {
        a: {},
        b: {},
        list: { array: 'accept', optional: true },
        i: { type: 'int', optional: true },
        ip: { type: 'int_positive', optional: true },
        id: { type: 'id', optional: true },
        f: { type: 'float', optional: true },
        fp: { type: 'float_positive', optional: true },
        fpn: { type: 'float_positive_notnull', optional: true },
        bool: { type: 'bool', optional: true },
        ids: { type: 'id', array: 'force', optional: true },
        cat_id: { type: 'int_positive', array: 'force', default: null },
        flags: { type: 'bool', array: 'accept', optional: true },
        floats: { type: 'float_positive', array: 'accept', optional: true },
        per_page: { type: 'int_positive', default: 100, maxValue: 500 },
        recursive: { type: 'bool', default: false },
        tags: { array: 'force', default: 'x' },
      },
      handler: echo,
    }),
  ]);
}

async function call(query: string, options: { body?: string; ctx?: Parameters<typeof wsTestContext>[0]; reg?: WsMethodRegistry } = {}) {
  const request = parseWsRequest({ httpMethod: options.body === undefined ? 'GET' : 'POST', query, body: options.body }) as WsInvocation;
  return new WsInvoker(options.reg ?? registry()).invoke(request, wsTestContext(options.ctx));
}
const admin = { status: 'webmaster' } as const;
const errorOf = async (p: ReturnType<typeof call>) => {
  const outcome = await p;
  if (outcome.ok) throw new Error('expected a failure');
  return [outcome.error.code, outcome.error.message];
};

describe('WsInvoker: Piwigo’s order of checks', () => {
  it('1. missing / unknown method → 501', async () => {
    expect(await errorOf(call('format=json'))).toEqual([501, 'Missing "method" name']);
    expect(await errorOf(call('method=pwg.nope'))).toEqual([501, 'Method name is not valid']);
    expect(await errorOf(call('method[]=test.admin'))).toEqual([501, 'Method name is not valid']);
  });

  it('2. post_only before admin_only and params: GET → 405', async () => {
    expect(await errorOf(call('method=test.admin'))).toEqual([405, 'This method requires HTTP POST']);
  });

  it('3. admin_only before params → 401 Access denied (guests and normal users)', async () => {
    expect(await errorOf(call('', { body: 'method=test.admin' }))).toEqual([401, 'Access denied']);
    expect(await errorOf(call('method=test.adminOnly', { ctx: { status: 'normal' } }))).toEqual([401, 'Access denied']);
    expect(await errorOf(call('method=test.adminOnly', { ctx: { status: 'admin' } }))).toEqual([1002, 'Missing parameters: name']);
  });

  it('4. API-key callers: flagged methods and $conf[api_key_forbidden_methods] → 401', async () => {
    const ctx = { ...admin, apiKeyAuth: 'header' as const };
    expect(await errorOf(call('method=test.keyless', { ctx }))).toEqual([401, 'Access denied']);
    expect(await errorOf(call('method=pwg.users.setInfo', { ctx: { ...admin, apiKeyAuth: 'session' } }))).toEqual([401, 'Access denied']);
    expect((await call('method=test.keyless', { ctx: admin })).ok).toBe(true);
  });

  it('5. params before ws_invoke_allowed: a closed gallery still reports 1002 first', async () => {
    expect(await errorOf(call('method=test.params', { ctx: { guestAccess: false } }))).toEqual([1002, 'Missing parameters: a,b']);
  });

  it('6. ws_invoke_allowed: guests of a closed gallery get 401 except pwg.session.* and reflection.*', async () => {
    const ctx = { guestAccess: false };
    expect(await errorOf(call('method=test.params&a=1&b=2', { ctx }))).toEqual([401, 'Access denied']);
    expect((await call('method=pwg.session.getStatus', { ctx })).ok).toBe(true);
    expect((await call('method=reflection.x', { ctx })).ok).toBe(true);
    expect((await call('method=test.params&a=1&b=2', { ctx: { status: 'generic', guestAccess: false } })).ok).toBe(true);
  });

  it('7. plugin guards run after the core check, in order', async () => {
    const reg = registry().addInvokeGuard(({ methodName }) => (methodName === 'test.params' ? new WsError(403, 'Plugin says no') : undefined));
    expect(await errorOf(call('method=test.params&a=1&b=2', { reg }))).toEqual([403, 'Plugin says no']);
    expect((await call('method=test.keyless', { reg })).ok).toBe(true);
  });
});

describe('WsInvoker: parameter checks (messages of ws_core.inc.php)', () => {
  const fails = (q: string) => errorOf(call(`method=test.params&${q}`));
  const params = async (q: string) => {
    expect((await call(`method=test.params&${q}`)).ok).toBe(true);
    return seen.at(-1)!;
  };

  it('missing: absent or sent empty, listed in signature order', async () => {
    expect(await fails('')).toEqual([1002, 'Missing parameters: a,b']);
    expect(await fails('a=&b=1')).toEqual([1002, 'Missing parameters: a']);
  });

  it('an array for a scalar param fails at once, before the missing list', async () => {
    expect(await fails('a[]=1')).toEqual([1003, 'a must be scalar']);
    expect(await fails('b[x]=1')).toEqual([1003, 'b must be scalar']);
  });

  it.each([
    ['i=x', 'i must be an integer'],
    ['i=1.5', 'i must be an integer'],
    ['ip=-1', 'ip must be an positive integer'],
    ['id=0', 'id must be an positive and not null integer'],
    ['f=abc', 'f must be a float'],
    ['fp=-0.5', 'fp must be a positive float'],
    ['fpn=0.5', 'fpn must be a positive and not null float'],
    ['bool=maybe', 'bool must be a boolean'],
    ['ids[]=1&ids[]=0', 'ids must only contain positive and not null integers'],
    ['cat_id=abc', 'cat_id must only contain positive integers'],
    ['flags[]=yes&flags[]=2', 'flags must only contain booleans'],
    ['floats[]=-1', 'floats must only contain positive floats'],
    ['ids[][]=1', 'ids must only contain positive and not null integers'],
  ])('%s → 1003 %s', async (q, message) => {
    expect(await fails(`a=1&b=2&${q}`)).toEqual([1003, message]);
  });

  it('converts, applies defaults, wraps force-arrays, clamps silently, passes undeclared params', async () => {
    const p = await params('a=1&b=2&i=-3&ip=0&id=+7&f=1e3&bool=On&ids=5&flags[]=no&per_page=1000&extra=x&recursive=true');
    expect(p).toMatchObject({ a: '1', b: '2', i: -3, ip: 0, id: 7, f: 1000, bool: true, ids: [5], flags: [false], per_page: 500, extra: 'x', recursive: true });
    expect(p['cat_id']).toEqual([]);
    expect(p['tags']).toEqual(['x']);
    expect('list' in p).toBe(false);
  });

  it('optional typed params sent empty skip the check and stay "" (force-arrays become [])', async () => {
    const p = await params('a=1&b=2&i=&bool=&ids=&per_page=');
    expect(p).toMatchObject({ i: '', bool: '', ids: [], per_page: '' });
  });

  it('keyed arrays reach handlers as lists of values', async () => {
    const p = await params('a=1&b=2&cat_id[x]=3&cat_id[y]=4&list[k]=v');
    expect(p).toMatchObject({ cat_id: [3, 4], list: ['v'] });
  });
});

describe('WsInvoker: handlers', () => {
  const reg = () =>
    new WsMethodRegistry().registerAll([
      defineWsMethod({ name: 't.returns', handler: () => new WsError(404, 'image_id not found') }),
      defineWsMethod({ name: 't.throws', handler: () => { throw new WsError(403, 'Invalid security token'); } }),
      defineWsMethod({ name: 't.notFound', handler: () => { throw Errors.notFound('album', 7); } }),
      defineWsMethod({ name: 't.conflict', handler: () => { throw Errors.conflict('tag.exists', 'Tag "x" already exists'); } }),
      defineWsMethod({ name: 't.forbidden', handler: () => { throw new VitrineError('forbidden', 'x', 'not permitted'); } }),
      defineWsMethod({ name: 't.crash', handler: () => { throw new Error('db down'); } }),
      defineWsMethod({ name: 't.enum', params: { action: { enum: ['associate', 'move'], enumError: 'Invalid action' } }, handler: () => 'ok' }),
      defineWsMethod({
        name: 't.call',
        handler: (_p, ctx, c) => ({ format: c.format, isPost: c.isPost, method: c.methodName, user: ctx.principal.username, file: c.file('image')?.filename ?? null }),
      }),
    ]);
  const run = (query: string, invoker = new WsInvoker(reg())) =>
    invoker.invoke(parseWsRequest({ httpMethod: 'GET', query }) as WsInvocation, wsTestContext());

  it('a returned or thrown WsError is the answer', async () => {
    expect(await errorOf(run('method=t.returns'))).toEqual([404, 'image_id not found']);
    expect(await errorOf(run('method=t.throws'))).toEqual([403, 'Invalid security token']);
  });

  it('VitrineError kinds map to Piwigo codes', async () => {
    expect(await errorOf(run('method=t.notFound'))).toEqual([404, 'Album 7 does not exist.']);
    expect(await errorOf(run('method=t.conflict'))).toEqual([1003, 'Tag "x" already exists']);
    expect(await errorOf(run('method=t.forbidden'))).toEqual([401, 'not permitted']);
  });

  it('anything else is a 500 reported to onUnexpectedError', async () => {
    const onUnexpectedError = vi.fn();
    expect(await errorOf(run('method=t.crash', new WsInvoker(reg(), { onUnexpectedError })))).toEqual([500, 'Internal server error']);
    expect(onUnexpectedError).toHaveBeenCalledWith(expect.objectContaining({ message: 'db down' }), 't.crash');
  });

  it('enumError refuses values outside enum (only when sent)', async () => {
    expect(await errorOf(run('method=t.enum&action=copy'))).toEqual([1003, 'Invalid action']);
    expect(await run('method=t.enum&action=move')).toEqual({ ok: true, result: 'ok' });
  });

  it('forcedParams override the request (API-key pwg_token injection)', async () => {
    const registry = new WsMethodRegistry().register(defineWsMethod({ name: 't.token', params: { pwg_token: {} }, handler: ({ pwg_token }) => pwg_token }));
    const ctx = { ...wsTestContext(), forcedParams: { pwg_token: 'injected' } };
    const request = parseWsRequest({ httpMethod: 'GET', query: 'method=t.token&pwg_token=sent' }) as WsInvocation;
    expect(await new WsInvoker(registry).invoke(request, ctx)).toEqual({ ok: true, result: 'injected' });
  });

  it('handlers see the format, POST state, files and principal', async () => {
    const outcome = await run('method=t.call&format=json');
    expect(outcome).toEqual({ ok: true, result: { format: 'json', isPost: false, method: 't.call', user: 'guest', file: null } });
  });
});

describe('HTTP status of errors (PwgError + set_status_header)', () => {
  it.each([
    [new WsError(999, 'Invalid username/password'), 200, undefined],
    [new WsError(1002, 'Missing parameters: name'), 200, undefined],
    [new WsError(1003, 'x must be scalar'), 200, undefined],
    [new WsError(401, 'Access denied'), 401, 'Access denied'],
    [new WsError(405, 'This method requires HTTP POST'), 405, 'This method requires HTTP POST'],
    [new WsError(501, 'Method name is not valid'), 501, 'Method name is not valid'],
    [new WsError(404, 'cat_id {7} not found'), 404, 'cat_id {7} not found'],
    [new WsError(500, ''), 500, 'Server error'],
    [new WsError(403, 'Accès\nrefusé'), 403, Buffer.from('Accès refusé').toString('latin1')],
  ])('%s', (error, status, reason) => {
    const response = encodeWsResponse('json', { ok: false, error });
    expect(response.status).toBe(status);
    expect(response.statusMessage).toBe(reason);
    expect(response.contentType).toBe('text/plain; charset=utf-8');
  });

  it('XML errors use text/xml', () => {
    expect(encodeWsResponse('rest', { ok: false, error: new WsError(401, 'Access denied') }).contentType).toBe('text/xml; charset=utf-8');
  });

  it('an unencodable result becomes a 500 failure and is reported', () => {
    const onError = vi.fn();
    const response = encodeWsResponse('json', { ok: true, result: { d: new Date() as never } }, onError);
    expect(response.status).toBe(500);
    expect(response.body.toString()).toBe('{"stat":"fail","err":500,"message":"Internal server error"}');
    expect(onError).toHaveBeenCalledOnce();
  });
});
