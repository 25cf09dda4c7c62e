import { describe, expect, expectTypeOf, it } from 'vitest';
import { wsTestContext } from '../../test/fixtures/piwigo/ws-context.fixture.js';
import { PIWIGO_COMPAT_VERSION, registerCoreWsMethods } from './ws-core.methods.js';
import { WsInvoker, type WsInvocation } from './ws-invoker.js';
import { WsMethodRegistry, defineWsMethod } from './ws-method.registry.js';
import type { WsRawValue } from './ws-request.parser.js';
import { parseWsRequest } from './ws-request.parser.js';
import { encodeWsResponse } from './ws-response.encoder.js';

const noop = () => null;

describe('WsMethodRegistry', () => {
  it('refuses a duplicate, naming both owners', () => {
    const registry = new WsMethodRegistry().register({ name: 'pwg.tags.getList', handler: noop });
    expect(() => registry.register({ name: 'pwg.tags.getList', owner: 'plugin:tagcloud', handler: noop })).toThrow(
      'ws.php method "pwg.tags.getList" from "plugin:tagcloud" is already registered by "core" (pass override: true to replace it on purpose)',
    );
  });

  it('lets a plugin override on purpose, and unregister', () => {
    const registry = new WsMethodRegistry().register({ name: 'pwg.tags.getList', handler: noop });
    registry.register({ name: 'pwg.tags.getList', owner: 'plugin:x', override: true, handler: () => 'mine' });
    expect(registry.get('pwg.tags.getList')?.owner).toBe('plugin:x');
    expect(registry.unregister('pwg.tags.getList')).toBe(true);
    expect(registry.has('pwg.tags.getList')).toBe(false);
  });

  it.each([
    [{ name: 'nodot', handler: noop }, /dotted words/],
    [{ name: 'a. b', handler: noop }, /dotted words/],
    [{ name: 'a.b', handler: 'x' }, /handler must be a function/],
    [{ name: 'a.b', params: { method: {} }, handler: noop }, /"method" cannot be a parameter name/],
    [{ name: 'a.b', params: { p: { type: 'uuid' } }, handler: noop }, /unknown type "uuid"/],
    [{ name: 'a.b', params: { p: { type: 'int', array: 'force', maxValue: 3 } }, handler: noop }, /scalar params only/],
    [{ name: 'a.b', params: { p: { maxValue: 3 } }, handler: noop }, /numeric type/],
    [{ name: 'a.b', params: { p: { enumError: 'bad' } }, handler: noop }, /enumError needs enum/],
    [{ name: 'a.b', params: { p: { array: 'always' } }, handler: noop }, /"accept" or "force"/],
  ])('validates definitions eagerly (%#)', (definition, message) => {
    expect(() => new WsMethodRegistry().register(definition as never)).toThrow(message);
  });

  it('lists in strnatcmp order, hidden methods only on request', () => {
    const registry = new WsMethodRegistry().registerAll(
      ['pwg.images.addSimple', 'pwg.images.add', 'pwg.users.api_key.create', 'pwg.images.addChunk', 'pwg.users.add', 'plugin.v10', 'plugin.v9'].map(
        (name) => ({ name, handler: noop }),
      ),
    );
    registry.register({ name: 'pwg.secret.x', hidden: true, handler: noop });
    expect(registry.list().map((m) => m.name)).toEqual([
      'plugin.v9',
      'plugin.v10',
      'pwg.images.add',
      'pwg.images.addChunk',
      'pwg.images.addSimple',
      'pwg.users.add',
      'pwg.users.api_key.create',
    ]);
    expect(registry.list({ includeHidden: true })).toHaveLength(8);
  });

  it('infers handler param types from the specs', () => {
    defineWsMethod({
      name: 'pwg.categories.getImages',
      params: {
        cat_id: { type: 'int_positive', array: 'force', default: null },
        recursive: { type: 'bool', default: false },
        per_page: { type: 'int_positive', default: 100, maxValue: 500 },
        order: { default: null },
        name: {},
        image_id: { type: 'id' },
        tags: { array: 'accept', optional: true },
      },
      handler: (params) => {
        expectTypeOf(params.cat_id).toEqualTypeOf<number[]>();
        expectTypeOf(params.recursive).toEqualTypeOf<boolean | ''>();
        expectTypeOf(params.per_page).toEqualTypeOf<number | ''>();
        expectTypeOf(params.order).toEqualTypeOf<string | null>();
        expectTypeOf(params.name).toEqualTypeOf<string>();
        expectTypeOf(params.image_id).toEqualTypeOf<number>();
        expectTypeOf(params.tags).toEqualTypeOf<string | WsRawValue[] | '' | undefined>();
        expectTypeOf(params['undeclared']).toEqualTypeOf<unknown>();
        return null;
      },
    });
  });
});

describe('core methods: reflection.* and pwg.getVersion', () => {
  const registry = registerCoreWsMethods(new WsMethodRegistry()).registerAll([
    defineWsMethod({
      name: 'pwg.categories.getImages',
      description: 'Returns elements for the corresponding categories.',
      params: {
        cat_id: { type: 'int_positive', array: 'force', default: null },
        recursive: { type: 'bool', default: false },
        per_page: { type: 'int_positive', default: 100, maxValue: 500 },
        order: { default: null, info: 'id, file, name, hit, rating_score, date_creation, date_available, random' },
      },
      handler: noop,
    }),
    defineWsMethod({ name: 'pwg.images.addSimple', adminOnly: true, postOnly: true, params: { image_id: { type: 'id', optional: true } }, handler: noop }),
    defineWsMethod({ name: 'pwg.hidden', hidden: true, handler: noop }),
  ]);
  const run = async (query: string) => {
    const request = parseWsRequest({ httpMethod: 'GET', query }) as WsInvocation;
    const outcome = await new WsInvoker(registry).invoke(request, wsTestContext());
    return encodeWsResponse(request.format, outcome).body.toString();
  };

  it('reflection.getMethodList (JSON and XML)', async () => {
    expect(await run('format=json&method=reflection.getMethodList')).toBe(
      '{"stat":"ok","result":{"methods":["pwg.categories.getImages","pwg.getVersion","pwg.images.addSimple","reflection.getMethodDetails","reflection.getMethodList"]}}',
    );
    expect(await run('method=reflection.getMethodList')).toBe(
      '<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n<methods>\n\t<method>pwg.categories.getImages</method>\n' +
        '\t<method>pwg.getVersion</method>\n\t<method>pwg.images.addSimple</method>\n\t<method>reflection.getMethodDetails</method>\n' +
        '\t<method>reflection.getMethodList</method></methods>\n</rsp>',
    );
  });

  it('reflection.getMethodDetails', async () => {
    expect(await run('format=json&method=reflection.getMethodDetails&methodName=pwg.categories.getImages')).toBe(
      '{"stat":"ok","result":{"name":"pwg.categories.getImages","description":"Returns elements for the corresponding categories.",' +
        '"params":[{"name":"cat_id","optional":true,"acceptArray":true,"type":"int positive"},' +
        '{"name":"recursive","optional":true,"acceptArray":false,"type":"bool","defaultValue":false},' +
        '{"name":"per_page","optional":true,"acceptArray":false,"type":"int positive","defaultValue":100,"maxValue":500},' +
        '{"name":"order","optional":true,"acceptArray":false,"type":"mixed","info":"id, file, name, hit, rating_score, date_creation, date_available, random"}],' +
        '"options":[]}}',
    );
    expect(await run('format=json&method=reflection.getMethodDetails&methodName=pwg.images.addSimple')).toBe(
      '{"stat":"ok","result":{"name":"pwg.images.addSimple","description":"","params":[{"name":"image_id","optional":true,"acceptArray":false,"type":"int positive notnull"}],' +
        '"options":{"admin_only":true,"post_only":true}}}',
    );
    expect(await run('format=json&method=reflection.getMethodDetails&methodName=pwg.nope')).toBe(
      '{"stat":"fail","err":1003,"message":"Requested method does not exist"}',
    );
    expect(await run('format=json&method=reflection.getMethodDetails')).toBe('{"stat":"fail","err":1002,"message":"Missing parameters: methodName"}');
  });

  it('pwg.getVersion answers a version clients accept (digiKam parses the XML text)', async () => {
    expect(PIWIGO_COMPAT_VERSION).toBe('16.4.0');
    expect(await run('format=json&method=pwg.getVersion')).toBe('{"stat":"ok","result":"16.4.0"}');
    const xml = await run('method=pwg.getVersion');
    expect(xml).toBe('<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n16.4.0\n</rsp>');
    const [, major, minor] = /.?(\d)\.(\d).*/.exec(xml.split('\n')[2]!)!;
    expect(Number(major) * 10 + Number(minor)).toBeGreaterThanOrEqual(24);
  });
});
