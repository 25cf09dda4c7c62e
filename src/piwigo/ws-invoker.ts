import { VitrineError } from '../common/errors.js';
import { isWsAdmin, type WsContext } from './ws-context.types.js';
import { WS_ERR, WsError, toWsError } from './ws-error.js';
import type { WsMethodRegistry } from './ws-method.registry.js';
import type { WsCall, WsMethod, WsParamsOf, WsParamSpecs } from './ws-method.types.js';
import { checkWsParams } from './ws-param.checker.js';
import type { WsParsedRequest, WsRawParams } from './ws-request.parser.js';
import type { WsFormat } from './ws-response.encoder.js';
import type { WsValue } from './ws-values.js';

/** Piwigo's default `$conf['api_key_forbidden_methods']` (include/config_default.inc.php). */
export const PIWIGO_API_KEY_FORBIDDEN_METHODS: readonly string[] = [
  'pwg.users.generatePasswordLink',
  'pwg.users.getAuthKey',
  'pwg.users.setMainUser',
  'pwg.users.setInfo',
  'pwg.plugins.performAction',
  'pwg.themes.performAction',
  'pwg.extensions.ignoreUpdate',
  'pwg.extensions.update',
];

export type WsOutcome = { ok: true; result: WsValue } | { ok: false; error: WsError };

export interface WsInvokerOptions {
  /** Methods refused to API-key callers besides those flagged `apiKeyForbidden`. Default: Piwigo's list. */
  apiKeyForbiddenMethods?: Iterable<string>;
  /** Told about anything a handler throws that is neither WsError nor VitrineError (answered as 500). */
  onUnexpectedError?: (error: unknown, methodName: string) => void;
}

/** A parsed request whose format is known. */
export type WsInvocation = WsParsedRequest & { format: WsFormat };

/**
 * Runs one call with the checks of `PwgServer::invoke`, in Piwigo's order:
 * 1. no method → 501 `Missing "method" name`; unknown → 501 `Method name is not valid`
 * 2. `postOnly` without POST fields → 405 `This method requires HTTP POST`
 * 3. `adminOnly` and not admin/webmaster → 401 `Access denied`
 * 4. API-key caller and a forbidden method → 401 `Access denied`
 * 5. parameters (1003 / 1002, see checkWsParams)
 * 6. `ws_invoke_allowed`: guests without `guest_access` → 401 `Access denied` (except
 *    `pwg.session.*` and `reflection.*`), then the registry's guards
 * 7. Vitrine's `enumError` checks (1003), then the handler. WsError and VitrineError from the
 *    handler become failures; anything else a 500 reported to `onUnexpectedError`.
 */
export class WsInvoker {
  private readonly apiKeyForbidden: ReadonlySet<string>;

  constructor(
    private readonly registry: WsMethodRegistry,
    private readonly options: WsInvokerOptions = {},
  ) {
    this.apiKeyForbidden = new Set(options.apiKeyForbiddenMethods ?? PIWIGO_API_KEY_FORBIDDEN_METHODS);
  }

  async invoke(request: WsInvocation, ctx: WsContext): Promise<WsOutcome> {
    const { methodName } = request;
    if (methodName === null) return failure(WS_ERR.INVALID_METHOD, 'Missing "method" name');
    const method = this.registry.get(methodName);
    if (!method) return failure(WS_ERR.INVALID_METHOD, 'Method name is not valid');
    if (method.postOnly && !request.isPost) return failure(405, 'This method requires HTTP POST');
    if (method.adminOnly && !isWsAdmin(ctx.principal)) return failure(401, 'Access denied');
    if (ctx.apiKeyAuth !== null && (method.apiKeyForbidden || this.apiKeyForbidden.has(methodName))) {
      return failure(401, 'Access denied');
    }

    const input = ctx.forcedParams ? Object.assign(Object.create(null) as Record<string, string>, request.params, ctx.forcedParams) : request.params;
    const checked = checkWsParams(method.params, input);
    if (!checked.ok) return checked;
    const { params } = checked;

    try {
      const refusal = (await this.allowed(methodName, params, ctx)) ?? enumRefusal(method, input, params);
      if (refusal) return { ok: false, error: refusal };
      const result = await method.handler(params as WsParamsOf<WsParamSpecs>, ctx, this.call(method, request));
      return result instanceof WsError ? { ok: false, error: result } : { ok: true, result };
    } catch (error) {
      if (!(error instanceof WsError) && !(error instanceof VitrineError)) {
        this.options.onUnexpectedError?.(error, methodName);
      }
      return { ok: false, error: toWsError(error) };
    }
  }

  /** Core `ws_isInvokeAllowed`, then the registry's guards. */
  private async allowed(methodName: string, params: Record<string, unknown>, ctx: WsContext): Promise<WsError | undefined> {
    const exempt = methodName.startsWith('reflection.') || methodName.startsWith('pwg.session.');
    const mayBrowse = ctx.principal.status !== 'guest' || ctx.guestAccess;
    if (!mayBrowse && !exempt) return new WsError(401, 'Access denied');
    for (const guard of this.registry.invokeGuards) {
      const refusal = await guard({ methodName, params }, ctx);
      if (refusal) return refusal;
    }
    return undefined;
  }

  private call(method: WsMethod, request: WsInvocation): WsCall {
    return {
      methodName: method.name,
      format: request.format,
      isPost: request.isPost,
      files: request.files,
      file: (field) => request.files.filter((f) => f.field === field).at(-1),
      request,
      registry: this.registry,
    };
  }
}

function failure(code: number, message: string): WsOutcome {
  return { ok: false, error: new WsError(code, message) };
}

/** Values of sent params outside their declared `enum`, for params that declare `enumError`. */
function enumRefusal(method: WsMethod, sent: WsRawParams, params: Record<string, unknown>): WsError | undefined {
  for (const [name, spec] of method.params) {
    if (!spec.enumError || !spec.enum || !Object.prototype.hasOwnProperty.call(sent, name)) continue;
    const value = params[name];
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    if (values.some((v) => typeof v !== 'string' || !spec.enum!.includes(v))) {
      return new WsError(WS_ERR.INVALID_PARAM, spec.enumError);
    }
  }
  return undefined;
}
