/**
 * How PHP turns a query string or form fields into `$_GET` / `$_POST`
 * (main/php_variables.c `php_default_treat_data` + `php_register_variable_ex`), so that ws.php sees
 * exactly what Piwigo sees: `p[]=1&p[]=2` → list, `p[a]=1` → map, repeated plain names → last wins,
 * `a.b` / `a b` → `a_b`, `+` → space, a malformed `%` kept literally, names without a value → `''`.
 */

/** One request variable: a string or a (possibly nested) PHP array. */
export type PhpInputValue = string | PhpInputArray;
/** A PHP array from the request: a list when its keys are 0..n-1 in order, else a map. */
export type PhpInputArray = readonly PhpInputValue[] | PhpInputMap;
export interface PhpInputMap {
  readonly [key: string]: PhpInputValue;
}
/** The top level of `$_GET` / `$_POST`. */
export type PhpInput = PhpInputMap;

export interface PhpInputOptions {
  /** `max_input_vars`: pairs beyond it are dropped (PHP warns and stops). Default 1000. */
  maxInputVars?: number;
  /** `max_input_nesting_level`: deeper variables are dropped. Default 64. */
  maxNestingLevel?: number;
}

/** PHP's ordered hash while it is being built. */
class PhpArrayNode {
  readonly entries = new Map<string, PhpArrayNode | string>();
  private nextIndex = 0;

  set(key: string | null, value: PhpArrayNode | string): void {
    if (key === null) {
      key = String(this.nextIndex);
    }
    if (/^(?:0|-?[1-9][0-9]{0,17})$/.test(key)) {
      this.nextIndex = Math.max(this.nextIndex, Number(key) + 1);
    }
    this.entries.set(key, value);
  }

  /** The array stored under `key` (or appended when null), replacing a scalar there. */
  child(key: string | null): PhpArrayNode {
    const existing = key === null ? undefined : this.entries.get(key);
    if (existing instanceof PhpArrayNode) return existing;
    const node = new PhpArrayNode();
    this.set(key, node);
    return node;
  }

  toValue(): PhpInputArray {
    const keys = [...this.entries.keys()];
    const values = [...this.entries.values()].map((v) => (typeof v === 'string' ? v : v.toValue()));
    if (keys.every((k, i) => k === String(i))) return values;
    const map: Record<string, PhpInputValue> = Object.create(null) as Record<string, PhpInputValue>;
    keys.forEach((k, i) => {
      map[k] = values[i]!;
    });
    return map;
  }
}

/** `php_url_decode`: `+` → space, `%XX` → byte, any other `%` kept; bytes read as UTF-8. */
export function phpUrlDecode(text: string): string {
  if (!/[%+]/.test(text)) return text;
  const bytes: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 0x2b) {
      bytes.push(0x20);
    } else if (c === 0x25 && i + 2 < raw.length && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
      bytes.push(parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16));
      i += 2;
    } else {
      bytes.push(c);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

/** Splits an `application/x-www-form-urlencoded` string (or a query string) into decoded pairs. */
export function splitUrlEncoded(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([phpUrlDecode(name), phpUrlDecode(value)]);
  }
  return pairs;
}

/** Builds `$_GET`/`$_POST` from decoded name/value pairs, in order. */
export function buildPhpInput(pairs: Iterable<readonly [string, string]>, options: PhpInputOptions = {}): PhpInput {
  const maxVars = options.maxInputVars ?? 1000;
  const maxNesting = options.maxNestingLevel ?? 64;
  const root = new PhpArrayNode();
  let count = 0;
  for (const [name, value] of pairs) {
    if (++count > maxVars) break;
    registerVariable(root, name, value, maxNesting);
  }
  const result = Object.create(null) as Record<string, PhpInputValue>;
  for (const [key, value] of root.entries) {
    result[key] = typeof value === 'string' ? value : value.toValue();
  }
  return result;
}

/** Parses a query string (without `?`) or an urlencoded body the way PHP fills `$_GET`. */
export function parsePhpQuery(text: string, options?: PhpInputOptions): PhpInput {
  return buildPhpInput(splitUrlEncoded(text), options);
}

/** Port of `php_register_variable_ex` for one pair. */
function registerVariable(root: PhpArrayNode, rawName: string, value: string, maxNesting: number): void {
  const name = rawName.replace(/^ +/, '');
  const bracket = name.indexOf('[');
  const base = (bracket === -1 ? name : name.slice(0, bracket)).replace(/[ .]/g, '_');
  if (base === '') return;
  if (bracket === -1) {
    root.set(base, value);
    return;
  }

  // Collect the indices: "[a][]" → ['a', null]; an unmatched "[" turns the rest into the name.
  const indices: Array<string | null> = [];
  let pos = bracket;
  for (;;) {
    if (indices.length + 1 > maxNesting) return;
    const start = pos + 1;
    const afterSpace = name[start] === ' ' ? start + 1 : start;
    if (name[afterSpace] === ']') {
      indices.push(null);
      pos = afterSpace;
    } else {
      const close = name.indexOf(']', afterSpace);
      if (close === -1) {
        if (indices.length === 0) {
          // "a[b" → plain variable "a_b" (the rest's spaces, dots and brackets become "_")
          root.set(base + '_' + name.slice(start).replace(/[ .[]/g, '_'), value);
          return;
        }
        break; // "a[b][c" → a[b] = value
      }
      indices.push(name.slice(start, close));
      pos = close;
    }
    if (name[pos + 1] !== '[') break;
    pos += 1;
  }

  let node = root.child(base);
  for (let i = 0; i < indices.length - 1; i++) node = node.child(indices[i]!);
  node.set(indices[indices.length - 1]!, value);
}
