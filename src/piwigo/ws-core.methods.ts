import { WS_ERR, WsError } from './ws-error.js';
import { defineWsMethod, type WsMethodRegistry } from './ws-method.registry.js';
import type { WsMethodDefinition, WsParamSpec, WsParamType } from './ws-method.types.js';
import { PwgNamedArray, type WsStruct, type WsValue } from './ws-values.js';

/**
 * The version ws.php reports (`pwg.getVersion`, `pwg.session.getStatus`, `pwg.getInfos`). Vitrine
 * speaks the protocol of Piwigo 16.4, the release its golden exchanges were captured from; clients
 * gate features on it (digiKam refuses < 2.4, the mobile apps pick upload paths by version).
 */
export const PIWIGO_COMPAT_VERSION = '16.4.0';

const TYPE_WORDS: Readonly<Record<WsParamType, string>> = {
  mixed: 'mixed',
  bool: 'bool',
  int: 'int',
  int_positive: 'int positive',
  id: 'int positive notnull',
  float: 'float',
  float_positive: 'float positive',
  float_positive_notnull: 'float positive notnull',
};

/** One entry of reflection.getMethodDetails' `params`, as `PwgServer::ws_getMethodDetails` builds it. */
function paramDetails(name: string, spec: WsParamSpec): WsStruct {
  const details: Record<string, WsValue> = {
    name,
    optional: spec.optional === true || 'default' in spec,
    acceptArray: spec.array !== undefined,
    type: TYPE_WORDS[spec.type ?? 'mixed'],
  };
  if (spec.default !== undefined && spec.default !== null) details['defaultValue'] = spec.default;
  if (spec.maxValue !== undefined) details['maxValue'] = spec.maxValue;
  if (spec.info !== undefined) details['info'] = spec.info;
  return details;
}

/** `reflection.getMethodList`: every visible method, in `strnatcmp` order. */
export const reflectionGetMethodList = defineWsMethod({
  name: 'reflection.getMethodList',
  handler: (_params, _ctx, call) => ({
    methods: new PwgNamedArray(
      call.registry.list().map((m) => m.name),
      'method',
    ),
  }),
});

/** `reflection.getMethodDetails`: name, description, params and options of one method. */
export const reflectionGetMethodDetails = defineWsMethod({
  name: 'reflection.getMethodDetails',
  params: { methodName: {} },
  handler: ({ methodName }, _ctx, call) => {
    const method = call.registry.get(methodName);
    if (!method) return new WsError(WS_ERR.INVALID_PARAM, 'Requested method does not exist');
    const options: Record<string, WsValue> = {};
    if (method.adminOnly) options['admin_only'] = true;
    if (method.postOnly) options['post_only'] = true;
    if (method.hidden) options['hidden'] = true;
    return {
      name: method.name,
      description: method.description,
      params: method.params.map(([name, spec]) => paramDetails(name, spec)),
      options,
    };
  },
});

/** `pwg.getVersion`: the bare version string (`<rsp stat="ok">\n16.4.0\n</rsp>` in XML). */
export function pwgGetVersion(version: string = PIWIGO_COMPAT_VERSION): WsMethodDefinition {
  return defineWsMethod({
    name: 'pwg.getVersion',
    description: 'Returns the Piwigo version.',
    handler: () => version,
  });
}

/** Registers the methods that need no service: reflection.* and pwg.getVersion. */
export function registerCoreWsMethods(registry: WsMethodRegistry, options: { version?: string } = {}): WsMethodRegistry {
  return registry.registerAll([reflectionGetMethodList, reflectionGetMethodDetails, pwgGetVersion(options.version)]);
}
