import { phpFilterBool, phpFilterFloat, phpFilterInt } from './php/php-filter.validator.js';
import { WS_ERR, WsError } from './ws-error.js';
import type { WsParamSpec, WsParamType } from './ws-method.types.js';
import type { WsRawParams, WsRawValue } from './ws-request.parser.js';

/** A param after checking: request strings converted, defaults applied. */
export type WsCheckedValue = WsRawValue | number | boolean | null | readonly WsCheckedValue[] | WsDefaultLike;
type WsDefaultLike = string | number | boolean | null | readonly (string | number | boolean)[];

export type WsParamCheck = { ok: true; params: Record<string, unknown> } | { ok: false; error: WsError };

/**
 * Port of the parameter loop of `PwgServer::invoke` (include/ws_core.inc.php), in signature order:
 * - absent: required → listed as missing; with a default → default (wrapped for force-array);
 * - sent as `''` while required → listed as missing;
 * - an array for a scalar param → `1003 '<name> must be scalar'` (returned at once, before the
 *   missing list is reported);
 * - force-array wraps a scalar, `''` gives `[]`; type check (`1003` with Piwigo's messages; an
 *   optional scalar sent as `''` is not checked and stays `''`); `maxValue` clamps silently;
 * - then `1002 'Missing parameters: a,b'` if any were missing.
 * Undeclared params are passed through untouched.
 */
export function checkWsParams(signature: ReadonlyArray<readonly [string, WsParamSpec]>, input: WsRawParams): WsParamCheck {
  const params: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, input);
  const missing: string[] = [];

  for (const [name, spec] of signature) {
    const optional = spec.optional === true || 'default' in spec;
    const value = Object.prototype.hasOwnProperty.call(input, name) ? input[name] : undefined;

    if (value === undefined) {
      if (!optional) missing.push(name);
      else if ('default' in spec) params[name] = spec.array === 'force' ? makeArray(spec.default ?? null) : spec.default;
      continue;
    }
    if (value === '' && !optional) {
      missing.push(name);
      continue;
    }
    const isArray = typeof value !== 'string';
    if (isArray && !spec.array) return fail(`${name} must be scalar`);

    let checked: WsCheckedValue = isArray ? arrayValues(value) : value;
    if (spec.array === 'force' && !isArray) checked = makeArray(value);

    const type = spec.type ?? 'mixed';
    if (type !== 'mixed') {
      const result = Array.isArray(checked) ? checkArray(checked as readonly WsRawValue[], type, name) : checkScalar(checked as string, type, name);
      if (result instanceof WsError) return { ok: false, error: result };
      checked = result;
    }
    if (spec.maxValue !== undefined && typeof checked === 'number' && checked > spec.maxValue) checked = spec.maxValue;
    params[name] = checked;
  }

  if (missing.length > 0) return fail(`Missing parameters: ${missing.join(',')}`, WS_ERR.MISSING_PARAM);
  return { ok: true, params };
}

/** `makeArrayParam`: null and `''` → `[]`, a scalar → `[scalar]`, an array unchanged. */
function makeArray(value: WsDefaultLike | WsRawValue): WsCheckedValue {
  if (value === null || value === '') return [];
  if (typeof value === 'object') return Array.isArray(value) ? value : arrayValues(value as WsRawValue);
  return [value];
}

/** The values of a PHP array from the request, as a JS list (keys are dropped). */
function arrayValues(value: WsRawValue): readonly WsRawValue[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? (value as readonly WsRawValue[]) : Object.values(value);
}

const MIN_RANGE: Partial<Record<WsParamType, number>> = {
  int_positive: 0,
  id: 1,
  float_positive: 0,
  float_positive_notnull: 1,
};
const RANGE_WORDS: Partial<Record<WsParamType, string>> = {
  int_positive: ' positive',
  id: ' positive and not null',
  float_positive: ' positive',
  float_positive_notnull: ' positive and not null',
};

function convert(value: unknown, type: Exclude<WsParamType, 'mixed'>): number | boolean | null {
  if (type === 'bool') return phpFilterBool(value);
  if (type === 'int' || type === 'int_positive' || type === 'id') return phpFilterInt(value, MIN_RANGE[type]);
  const number = phpFilterFloat(value);
  const min = MIN_RANGE[type];
  return number === null || (min !== undefined && number < min) ? null : number;
}

function checkScalar(value: string, type: Exclude<WsParamType, 'mixed'>, name: string): string | number | boolean | WsError {
  if (value === '') return value;
  const converted = convert(value, type);
  if (converted !== null) return converted;
  const words = RANGE_WORDS[type] ?? '';
  if (type === 'bool') return error(`${name} must be a boolean`);
  if (type === 'int' || type === 'int_positive' || type === 'id') return error(`${name} must be an${words} integer`);
  return error(`${name} must be a${words} float`);
}

function checkArray(values: readonly WsRawValue[], type: Exclude<WsParamType, 'mixed'>, name: string): Array<number | boolean> | WsError {
  const out: Array<number | boolean> = [];
  for (const value of values) {
    const converted = convert(value, type);
    if (converted === null) {
      const words = RANGE_WORDS[type] ?? '';
      if (type === 'bool') return error(`${name} must only contain booleans`);
      if (type === 'int' || type === 'int_positive' || type === 'id') return error(`${name} must only contain${words} integers`);
      return error(`${name} must only contain${words} floats`);
    }
    out.push(converted);
  }
  return out;
}

function error(message: string, code: number = WS_ERR.INVALID_PARAM): WsError {
  return new WsError(code, message);
}

function fail(message: string, code: number = WS_ERR.INVALID_PARAM): WsParamCheck {
  return { ok: false, error: error(message, code) };
}
