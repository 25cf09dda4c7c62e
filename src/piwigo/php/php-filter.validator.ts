/**
 * Ports of the three `filter_var()` validators Piwigo's ws.php uses on request parameters
 * (ext/filter/logical_filters.c). Inputs are request strings; anything else fails.
 */

/** PHP_FILTER_TRIM_DEFAULT: spaces, tabs, CR, LF and vertical tabs (not form feeds, not NUL). */
function phpFilterTrim(value: string): string {
  return value.replace(/^[ \t\r\v\n]+|[ \t\r\v\n]+$/g, '');
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * `filter_var($v, FILTER_VALIDATE_INT, ['options' => ['min_range' => $min]])`: optional sign, no
 * leading zeros (`0`, `+0`, `-0` are fine), 64-bit range, surrounding whitespace allowed.
 * @returns the integer, or `null` when PHP returns `false`. Values beyond 2^53 lose precision.
 */
export function phpFilterInt(value: unknown, minRange?: number): number | null {
  if (typeof value !== 'string') return null;
  const text = phpFilterTrim(value);
  if (!/^(?:0|[+-]?0|[+-]?[1-9][0-9]*)$/.test(text)) return null;
  const big = BigInt(text);
  if (big < INT64_MIN || big > INT64_MAX) return null;
  const result = Number(big);
  if (minRange !== undefined && result < minRange) return null;
  return result === 0 ? 0 : result; // no -0
}

/**
 * `filter_var($v, FILTER_VALIDATE_FLOAT)`: `[+-]digits[.digits][e[+-]digits]` (`.5` and `5.` are
 * accepted), no thousands separator, finite; a zero result is refused when the text holds a
 * non-zero digit anywhere (underflow, but also PHP's quirk on `0e5`).
 * @returns the number, or `null` when PHP returns `false`.
 */
export function phpFilterFloat(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const text = phpFilterTrim(value);
  if (!/^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(text)) return null;
  const result = Number(text);
  if (!Number.isFinite(result)) return null;
  // PHP rejects a zero result when any digit (exponent included) is non-zero: "1e-999", "0e5".
  if (result === 0 && text.length > 1 && /[1-9]/.test(text)) return null;
  return result === 0 ? 0 : result;
}

/**
 * `filter_var($v, FILTER_VALIDATE_BOOLEAN, FILTER_NULL_ON_FAILURE)`, case-insensitive:
 * `1 true on yes` → true, `0 false off no` and the empty string → false, anything else → null.
 */
export function phpFilterBool(value: unknown): boolean | null {
  if (typeof value !== 'string') return null;
  switch (phpFilterTrim(value).toLowerCase()) {
    case '1':
    case 'true':
    case 'on':
    case 'yes':
      return true;
    case '':
    case '0':
    case 'false':
    case 'off':
    case 'no':
      return false;
    default:
      return null;
  }
}

/**
 * PHP 8 `is_numeric()` on a string: optional leading and trailing whitespace, sign, decimal or
 * exponent notation. The XML encoder skips struct keys for which this is true.
 */
export function phpIsNumeric(key: string): boolean {
  return /^[ \t\n\r\v\f]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$/.test(key);
}
