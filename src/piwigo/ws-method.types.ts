import type { WsContext } from './ws-context.types.js';
import type { WsError } from './ws-error.js';
import type { WsParsedRequest, WsRawValue, WsUploadedFile } from './ws-request.parser.js';
import type { WsFormat } from './ws-response.encoder.js';
import type { WsValue } from './ws-values.js';

/**
 * Piwigo's `WS_TYPE_*` combinations:
 * `int` (any integer), `int_positive` (≥ 0), `id` (≥ 1, WS_TYPE_ID), `float`, `float_positive` (≥ 0),
 * `float_positive_notnull` (≥ 1, sic), `bool` (FILTER_VALIDATE_BOOLEAN), `mixed` (unchecked string).
 */
export type WsParamType = 'mixed' | 'bool' | 'int' | 'int_positive' | 'id' | 'float' | 'float_positive' | 'float_positive_notnull';
type WsNumericType = Exclude<WsParamType, 'mixed' | 'bool'>;

export type WsDefaultValue = string | number | boolean | null | readonly (string | number | boolean)[];

/** One declared parameter (Piwigo's `addMethod` signature entry). */
export interface WsParamSpec {
  readonly type?: WsParamType;
  /** WS_PARAM_OPTIONAL without a default: the param is simply absent when not sent. */
  readonly optional?: boolean;
  /** Value used when the param is not sent (makes it optional). Not type-checked, as in Piwigo. */
  readonly default?: WsDefaultValue;
  /**
   * `accept` = WS_PARAM_ACCEPT_ARRAY (`p=1` or `p[]=1&p[]=2`); `force` = WS_PARAM_FORCE_ARRAY (also
   * wraps a scalar into a list; `''` and null become `[]`). Handlers always get JS arrays (values of
   * a keyed PHP array, in order).
   */
  readonly array?: 'accept' | 'force';
  /** Silent clamp (`per_page` ≤ 500). Numeric scalar params only. */
  readonly maxValue?: number;
  /** Shown by reflection.getMethodDetails. */
  readonly info?: string;
  /** Allowed values. Piwigo checks these in its methods; the engine only enforces them with `enumError`. */
  readonly enum?: readonly string[];
  /** When set, a sent value outside `enum` fails with error 1003 and this message. */
  readonly enumError?: string;
}
export type WsParamSpecs = Readonly<Record<string, WsParamSpec>>;

type Widen<D> = D extends boolean ? boolean : D extends number ? number : D extends string ? string : D;
type ScalarOf<S> = S extends { type: 'bool' } ? boolean : S extends { type: WsNumericType } ? number : string;
type ElementOf<S> = S extends { type: 'bool' } ? boolean : S extends { type: WsNumericType } ? number : WsRawValue;
type DefaultOf<S> = S extends { default: infer D } ? (D extends readonly (infer E)[] ? Widen<E>[] : Widen<D>) : undefined;
type DefaultElementOf<S> = S extends { default: infer D } ? (D extends readonly (infer E)[] ? Widen<E> : Exclude<Widen<D>, null>) : never;
type IsOptional<S> = S extends { default: unknown } ? true : S extends { optional: true } ? true : false;
/** An optional typed param sent empty (`p=`) skips the type check and stays `''`, as in Piwigo. */
type OptionalExtras<S> = IsOptional<S> extends true ? '' | DefaultOf<S> : never;

/** The value a handler receives for one declared param. */
export type WsParamValue<S extends WsParamSpec> = S extends { array: 'force' }
  ? Array<ElementOf<S> | DefaultElementOf<S>>
  : S extends { array: 'accept' }
    ? ScalarOf<S> | ElementOf<S>[] | OptionalExtras<S>
    : ScalarOf<S> | OptionalExtras<S>;

/** Checked params; undeclared params are passed through untouched, as Piwigo does. */
export type WsParamsOf<P extends WsParamSpecs> = { readonly [K in keyof P]: WsParamValue<P[K]> } & {
  readonly [undeclared: string]: unknown;
};

/** Engine-side facts about the call being handled. */
export interface WsCall {
  readonly methodName: string;
  /** Response format: some Piwigo methods shape their result for `rest` (pwg.images.getInfo). */
  readonly format: WsFormat;
  /** Piwigo's `isPost()`. */
  readonly isPost: boolean;
  /** Uploaded file parts (PHP `$_FILES`). */
  readonly files: readonly WsUploadedFile[];
  /** The last file part of that field (PHP keeps the last), if any. */
  file(field: string): WsUploadedFile | undefined;
  /** `$_GET`/`$_POST` (pwg.images.upload reads `chunk`/`chunks` from `$_REQUEST`). */
  readonly request: WsParsedRequest;
  /** The registry (for reflection). */
  readonly registry: WsMethodLookup;
}

/** What a handler returns: a result, or a WsError (returning one equals throwing it). */
export type WsHandlerResult = WsValue | WsError;

/** A ws.php method as registered by core or a plugin. */
export interface WsMethodDefinition<P extends WsParamSpecs = WsParamSpecs> {
  /** Dotted name, e.g. `pwg.categories.getList`. */
  readonly name: string;
  /** HTML allowed, as in Piwigo (shown by reflection and the API explorer). */
  readonly description?: string;
  /** Parameters in declaration order (the order of error 1002's list). */
  readonly params?: P;
  /** `admin_only`: admin or webmaster, else 401 'Access denied'. */
  readonly adminOnly?: boolean;
  /** `post_only`: a POST with body fields, else 405 'This method requires HTTP POST'. */
  readonly postOnly?: boolean;
  /** In `$conf['api_key_forbidden_methods']`: refused (401) to API-key callers. */
  readonly apiKeyForbidden?: boolean;
  /** `hidden`: left out of reflection.getMethodList. */
  readonly hidden?: boolean;
  /** Who registers it (`core`, `plugin:<id>`), named in duplicate-registration errors. */
  readonly owner?: string;
  /** Replace an already registered method of that name on purpose (Piwigo lets plugins do it). */
  readonly override?: boolean;
  handler(params: WsParamsOf<P>, ctx: WsContext, call: WsCall): WsHandlerResult | Promise<WsHandlerResult>;
}

/** A registered method, normalised. */
export interface WsMethod {
  readonly name: string;
  readonly description: string;
  readonly params: ReadonlyArray<readonly [string, WsParamSpec]>;
  readonly adminOnly: boolean;
  readonly postOnly: boolean;
  readonly apiKeyForbidden: boolean;
  readonly hidden: boolean;
  readonly owner: string;
  handler(params: WsParamsOf<WsParamSpecs>, ctx: WsContext, call: WsCall): WsHandlerResult | Promise<WsHandlerResult>;
}

/** Read access to the registry. */
export interface WsMethodLookup {
  get(name: string): WsMethod | undefined;
  /** Methods in Piwigo order (`strnatcmp` on names); hidden ones only when asked. */
  list(options?: { includeHidden?: boolean }): readonly WsMethod[];
}

/**
 * A `ws_invoke_allowed` filter: runs after the parameter checks, before the handler; returning a
 * WsError refuses the call. Plugins add their own through the registry.
 */
export type WsInvokeGuard = (
  call: { readonly methodName: string; readonly params: Readonly<Record<string, unknown>> },
  ctx: WsContext,
) => WsError | undefined | Promise<WsError | undefined>;

