import { describe, expect, it, vi } from 'vitest';
import { TEST_SECRET, wsTestContext, type TestContextOptions } from '../../test/fixtures/piwigo/ws-context.fixture.js';
import { computePwgToken, hasValidPwgToken, pwgTokenMatches, requirePwgToken } from './pwg-token.js';
import { WsError } from './ws-error.js';
import { WsInvoker, type WsInvocation } from './ws-invoker.js';
import { WsMethodRegistry } from './ws-method.registry.js';
import { parseWsRequest } from './ws-request.parser.js';
import { encodeWsResponse } from './ws-response.encoder.js';
import { registerSessionWsMethods } from './ws-session.methods.js';
import type { WsAuthPort } from './ws-session.types.js';

function setup() {
  const auth = {
    logIn: vi.fn(async (_ctx, username: string, password: string | null) => username === 'admin' && password === 'adminpass'),
    logInWithApiKey: vi.fn(async (_ctx, _key: string, secret: string | null) => secret === 's3cret'),
    logOut: vi.fn(async () => undefined),
    statusFacts: vi.fn(async () => ({
      theme: 'modus',
      language: 'en_UK',
      currentDatetime: '2026-05-14 15:01:15',
      saveVisits: true,
      availableSizes: ['square', 'thumb'],
      uploadFileTypes: 'jpg,jpeg,png,gif,webp',
      uploadFormChunkSize: 500,
    })),
  } satisfies WsAuthPort;
  const registry = registerSessionWsMethods(new WsMethodRegistry(), auth);
  const run = async (query: string, body?: string, ctx: TestContextOptions = {}) => {
    const request = parseWsRequest({ httpMethod: body === undefined ? 'GET' : 'POST', query: `format=json&${query}`, body }) as WsInvocation;
    const outcome = await new WsInvoker(registry).invoke(request, wsTestContext(ctx));
    return encodeWsResponse('json', outcome).body.toString();
  };
  return { auth, run };
}

describe('pwg.session.login', () => {
  it('logs in with a password (connected_with ws_session_login) or answers 999', async () => {
    const { auth, run } = setup();
    expect(await run('', 'method=pwg.session.login&username=admin&password=adminpass')).toBe('{"stat":"ok","result":true}');
    expect(auth.logIn).toHaveBeenCalledWith(expect.anything(), 'admin', 'adminpass', 'ws_session_login');
    expect(await run('', 'method=pwg.session.login&username=admin&password=wrong')).toBe(
      '{"stat":"fail","err":999,"message":"Invalid username\\/password"}',
    );
    expect(await run('', 'method=pwg.session.login&username=admin')).toContain('"err":999');
    expect(auth.logIn).toHaveBeenLastCalledWith(expect.anything(), 'admin', null, 'ws_session_login');
  });

  it('a pkid-… username logs in with an API key (no password fallback)', async () => {
    const { auth, run } = setup();
    const key = 'pkid-20261122-SRUoFNy3rC6ogcsm5KSh';
    expect(await run('', `method=pwg.session.login&username=${key}&password=s3cret`)).toBe('{"stat":"ok","result":true}');
    expect(auth.logInWithApiKey).toHaveBeenCalledWith(expect.anything(), key, 's3cret', 'ws_session_login_api_key');
    expect(await run('', `method=pwg.session.login&username=${key}&password=nope`)).toContain('"err":999');
    expect(auth.logIn).not.toHaveBeenCalled();
  });

  it('is POST only, and refused with an X-PIWIGO-API key', async () => {
    const { run } = setup();
    expect(await run('method=pwg.session.login&username=admin&password=x')).toBe(
      '{"stat":"fail","err":405,"message":"This method requires HTTP POST"}',
    );
    expect(await run('', 'method=pwg.session.login&username=admin&password=x', { apiKeyAuth: 'header' })).toBe(
      '{"stat":"fail","err":401,"message":"Cannot use this method with an api key"}',
    );
  });
});

describe('pwg.session.logout', () => {
  it('logs out users, not guests; refused with an X-PIWIGO-API key', async () => {
    const { auth, run } = setup();
    expect(await run('method=pwg.session.logout')).toBe('{"stat":"ok","result":true}');
    expect(auth.logOut).not.toHaveBeenCalled();
    expect(await run('method=pwg.session.logout', undefined, { status: 'normal' })).toBe('{"stat":"ok","result":true}');
    expect(auth.logOut).toHaveBeenCalledOnce();
    expect(await run('method=pwg.session.logout', undefined, { status: 'admin', apiKeyAuth: 'header' })).toContain('"err":401');
  });
});

describe('pwg.session.getStatus', () => {
  it('admin: Piwigo’s key order, upload_* for admins only', async () => {
    const { run } = setup();
    const token = computePwgToken('session-1', TEST_SECRET);
    expect(await run('method=pwg.session.getStatus', undefined, { status: 'webmaster', connectedWith: 'ws_session_login' })).toBe(
      `{"stat":"ok","result":{"username":"admin","status":"webmaster","theme":"modus","language":"en_UK","pwg_token":"${token}",` +
        '"charset":"utf-8","current_datetime":"2026-05-14 15:01:15","version":"16.4.0","save_visits":true,' +
        '"connected_with":"ws_session_login","available_sizes":["square","thumb"],' +
        '"upload_file_types":"jpg,jpeg,png,gif,webp","upload_form_chunk_size":500}}',
    );
  });

  it('guest: username guest, connected_with null, no upload_*', async () => {
    const { run } = setup();
    const body = JSON.parse(await run('method=pwg.session.getStatus')) as { result: Record<string, unknown> };
    expect(body.result).toMatchObject({ username: 'guest', status: 'guest', connected_with: null });
    expect(Object.keys(body.result)).not.toContain('upload_file_types');
  });

  it('user-agent quirks: Piwigo Remote Sync and Apache-HttpClient', async () => {
    const { run } = setup();
    const sync = JSON.parse(await run('method=pwg.session.getStatus', undefined, { headers: { 'User-Agent': 'PiwigoRemoteSync/1.0' } })) as {
      result: Record<string, unknown>;
    };
    expect(Object.keys(sync.result)).not.toContain('save_visits');
    expect(Object.keys(sync.result)).not.toContain('connected_with');
    const apache = JSON.parse(await run('method=pwg.session.getStatus', undefined, { headers: { 'User-Agent': 'Apache-HttpClient/4.5' } })) as {
      result: Record<string, unknown>;
    };
    expect(Object.keys(apache.result)).not.toContain('available_sizes');
    expect(Object.keys(apache.result)).toContain('save_visits');
  });
});

describe('pwg_token', () => {
  it('is hash_hmac("md5", session_id, secret): 32 hex', () => {
    // php -r 'echo hash_hmac("md5", "abc123", "secret");'
    expect(computePwgToken('abc123', 'secret')).toBe('59885a708789fedf4ab4ef6d7a459b77');
    expect(computePwgToken('abc123', 'secret')).not.toBe(computePwgToken('abc124', 'secret'));
  });

  it('compares in constant time, strings of the right length only', () => {
    const token = computePwgToken('s', 'k');
    expect(pwgTokenMatches(token, token)).toBe(true);
    expect(pwgTokenMatches(token.toUpperCase(), token)).toBe(false);
    expect(pwgTokenMatches(token.slice(1), token)).toBe(false);
    expect(pwgTokenMatches([token], token)).toBe(false);
    expect(pwgTokenMatches(undefined, token)).toBe(false);
  });

  it('requirePwgToken throws 403 Invalid security token; hasValidPwgToken for optional tokens', () => {
    const ctx = wsTestContext();
    expect(() => requirePwgToken({ pwg_token: ctx.session.pwgToken }, ctx)).not.toThrow();
    expect(() => requirePwgToken({ pwg_token: '0123456789abcdef0123456789abcdef' }, ctx)).toThrow(new WsError(403, 'Invalid security token'));
    expect(hasValidPwgToken({ pwg_token: null }, ctx)).toBe(false);
    expect(hasValidPwgToken({ pwg_token: ctx.session.pwgToken }, ctx)).toBe(true);
  });
});
