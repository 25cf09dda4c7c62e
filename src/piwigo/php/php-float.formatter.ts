/**
 * PHP's float-to-text conversions, byte for byte (`php_gcvt` in main/snprintf.c).
 *
 * - `json_encode` and `serialize` use `serialize_precision = -1`: the shortest digits that round-trip
 *   (zend_dtoa mode 0), exponential form when the decimal exponent is < -4 or > 17: `0.1`,
 *   `1.0e-5`, `1.0e+25`.
 * - `(string)$float` (XML content/attributes, XML-RPC `<double>`) uses `precision = 14`: 14
 *   significant digits rounded half-even on the exact binary value (zend_dtoa mode 2), exponential
 *   form beyond 14 digits: `0.3` for 0.1+0.2, `1.0E+15`.
 * - Integers (JS safe integers, bigint) print as PHP ints: plain digits.
 */

/** Digits without leading/trailing zeros and the decimal exponent: value = 0.DIGITS × 10^decpt. */
interface DecimalDigits {
  digits: string;
  decpt: number;
}

/** Exact decimal expansion of a finite, non-zero, positive double. */
function exactDigits(value: number): DecimalDigits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biasedExp = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (biasedExp === 0) {
    exp2 = -1074; // subnormal
  } else {
    mantissa |= 1n << 52n;
    exp2 = biasedExp - 1075;
  }
  let intDigits: string;
  let fracLen = 0;
  if (exp2 >= 0) {
    intDigits = (mantissa << BigInt(exp2)).toString();
  } else {
    // mantissa / 2^k = mantissa × 5^k / 10^k
    fracLen = -exp2;
    intDigits = (mantissa * 5n ** BigInt(fracLen)).toString();
  }
  // value = intDigits × 10^-fracLen
  const stripped = intDigits.replace(/0+$/, '');
  const decpt = intDigits.length - fracLen;
  const lead = stripped.match(/^0*/)![0].length;
  return { digits: stripped.slice(lead), decpt: decpt - lead };
}

/** Rounds exact digits to `n` significant digits, ties to even (dtoa without ROUND_BIASED). */
function roundHalfEven({ digits, decpt }: DecimalDigits, n: number): DecimalDigits {
  if (digits.length <= n) return { digits, decpt };
  const kept = digits.slice(0, n);
  const next = digits.charCodeAt(n) - 48;
  const restIsZero = /^0*$/.test(digits.slice(n + 1));
  const lastOdd = (kept.charCodeAt(n - 1) - 48) % 2 === 1;
  const up = next > 5 || (next === 5 && (!restIsZero || lastOdd));
  if (!up) return { digits: kept.replace(/0+$/, ''), decpt };
  const bumped = (BigInt(kept) + 1n).toString();
  if (bumped.length > kept.length) return { digits: bumped.replace(/0+$/, ''), decpt: decpt + 1 };
  return { digits: bumped.replace(/0+$/, ''), decpt };
}

/** Shortest round-trip digits (same result as zend_dtoa mode 0). */
function shortestDigits(value: number): DecimalDigits {
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return { digits: mantissa.replace('.', ''), decpt: Number(exponent) + 1 };
}

/**
 * Port of `php_gcvt(value, precision, '.', expChar)`.
 * @param precision significant digits (mode 2); `0` means PHP's `-1` (mode 0, shortest, threshold 17)
 */
export function phpGcvt(value: number, precision: number, expChar: 'e' | 'E'): string {
  if (Number.isNaN(value)) return 'NAN';
  if (!Number.isFinite(value)) return value < 0 ? '-INF' : 'INF';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const threshold = precision > 0 ? precision : 17;
  const { digits, decpt } = precision > 0 ? roundHalfEven(exactDigits(abs), precision) : shortestDigits(abs);

  if (decpt < 0 ? decpt < -3 : decpt > threshold) {
    const exponent = decpt - 1;
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : `${digits}.0`;
    return `${sign}${mantissa}${expChar}${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
  }
  if (decpt < 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt === 0) return `${sign}0.${digits}`;
  if (digits.length <= decpt) return sign + digits + '0'.repeat(decpt - digits.length);
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** True when a JS number stands for a PHP int (what a handler means by an integral number). */
export function isPhpInt(value: number): boolean {
  return Number.isSafeInteger(value);
}

/** A number as `json_encode` writes it. NaN and ±Infinity are not encodable (PHP fails too). */
export function phpJsonNumber(value: number | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  if (!Number.isFinite(value)) throw new TypeError(`json_encode cannot encode ${value}`);
  return isPhpInt(value) ? String(value) : phpGcvt(value, 0, 'e');
}

/** A number as PHP's `(string)` cast writes it (`precision = 14`). */
export function phpStringNumber(value: number | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  return isPhpInt(value) ? String(value) : phpGcvt(value, 14, 'E');
}

/** A float as `serialize()` writes it after `d:` (`serialize_precision = -1`). */
export function phpSerializeFloat(value: number): string {
  return phpGcvt(value, 0, 'E');
}
