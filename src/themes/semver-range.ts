/**
 * A small, dependency-free subset of npm semver ranges, enough for `engines.vitrine`:
 * exact versions, comparators (`>=1.2.0 <2`), caret (`^1.2`), tilde (`~1.2.3`), x-ranges
 * (`1.x`, `*`), hyphen ranges (`1.0 - 2.0`) and `||` alternatives. Pre-release tags are compared
 * as lower than the release and otherwise ignored.
 */

type Triple = [number, number, number];
type Comparator = { op: '<' | '<=' | '>' | '>=' | '='; v: Triple };

const PARTIAL = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses a full version (`1.2.3`, `v1.2.3-beta.1`), or returns null. */
export function parseVersion(version: string): Triple | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function compare(a: Triple, b: Triple): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** Parsed partial version: undefined parts are wildcards. */
function partial(text: string): (number | undefined)[] | null {
  const m = PARTIAL.exec(text);
  if (!m) return null;
  const parts = [m[1], m[2], m[3]].map((p) => (p === undefined || /[xX*]/.test(p) ? undefined : Number(p)));
  // A wildcard cannot be followed by a number (`1.x.3`).
  const firstWild = parts.findIndex((p) => p === undefined);
  if (firstWild >= 0 && parts.slice(firstWild).some((p) => p !== undefined)) return null;
  return parts;
}

function fill(p: (number | undefined)[]): Triple {
  return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
}

/** Comparators for `x`, `^x`, `~x` or `<op>x`; null when the text is not a valid comparator. */
function expand(token: string): Comparator[] | null {
  const m = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(token);
  if (!m) return null;
  const op = m[1] ?? '';
  const p = partial(m[2]!);
  if (!p) return null;
  const [ma, mi, pa] = p;
  const lo = fill(p);
  if (ma === undefined) return op === '' || op === '>=' || op === '<=' || op === '=' ? [] : op === '<' || op === '>' ? [{ op: '<', v: [0, 0, 0] }] : [];
  const nextUp = (level: number): Triple =>
    level === 0 ? [ma + 1, 0, 0] : [ma, (mi ?? 0) + 1, 0];
  switch (op) {
    case '^': {
      const up: Triple = ma > 0 || mi === undefined ? [ma + 1, 0, 0] : mi > 0 || pa === undefined ? [0, mi + 1, 0] : [0, 0, pa + 1];
      return [{ op: '>=', v: lo }, { op: '<', v: up }];
    }
    case '~':
      return [{ op: '>=', v: lo }, { op: '<', v: nextUp(mi === undefined ? 0 : 1) }];
    case '>':
      return pa !== undefined ? [{ op: '>', v: lo }] : [{ op: '>=', v: nextUp(mi === undefined ? 0 : 1) }];
    case '<=':
      return pa !== undefined ? [{ op: '<=', v: lo }] : [{ op: '<', v: nextUp(mi === undefined ? 0 : 1) }];
    case '<':
    case '>=':
      return [{ op, v: lo }];
    default:
      return pa !== undefined ? [{ op: '=', v: lo }] : [{ op: '>=', v: lo }, { op: '<', v: nextUp(mi === undefined ? 0 : 1) }];
  }
}

function parseSet(set: string): Comparator[] | null {
  const text = set.trim();
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
  if (hyphen) {
    const a = expand(`>=${hyphen[1]}`);
    const b = expand(`<=${hyphen[2]}`);
    return a && b ? [...a, ...b] : null;
  }
  if (text === '') return [];
  // Allow "> = 1.2" style spacing between operator and version.
  const tokens = text.replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1').split(/\s+/);
  const out: Comparator[] = [];
  for (const t of tokens) {
    const c = expand(t);
    if (!c) return null;
    out.push(...c);
  }
  return out;
}

/** Whether `range` is a syntactically valid range this module understands. */
export function isValidRange(range: string): boolean {
  return range.trim() !== '' && range.split('||').every((s) => parseSet(s) !== null);
}

/** Whether `version` (a full `x.y.z`) satisfies `range`; false for invalid input. */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v || !isValidRange(range)) return false;
  return range.split('||').some((set) =>
    (parseSet(set) ?? []).every(({ op, v: w }) => {
      const c = compare(v, w);
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '>=' ? c >= 0 : c === 0;
    }),
  );
}
