/**
 * Port of PHP's `strnatcmp()` (ext/standard/strnatcmp.c, `strnatcmp_ex` case-sensitive): natural
 * order on bytes, runs of digits compared by value ("img2" < "img10"), leading zeros skipped at the
 * start, runs starting with `0` compared left-aligned ("fractional"), whitespace skipped.
 * Piwigo sorts its method table with it (`uksort($this->_methods, 'strnatcmp')`).
 */

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** Compares two strings like PHP `strnatcmp`; returns -1, 0 or 1. Compares UTF-8 bytes. */
export function strnatcmp(left: string, right: string): -1 | 0 | 1 {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  if (a.length === 0 || b.length === 0) {
    return a.length === b.length ? 0 : a.length > b.length ? 1 : -1;
  }
  const at = (buf: Buffer, i: number): number => (i < buf.length ? buf[i]! : 0);
  let ai = 0;
  let bi = 0;
  let leading = true;
  for (;;) {
    let ca = at(a, ai);
    let cb = at(b, bi);

    while (leading && ca === 0x30 && ai + 1 < a.length && isDigit(a[ai + 1]!)) ca = at(a, ++ai);
    while (leading && cb === 0x30 && bi + 1 < b.length && isDigit(b[bi + 1]!)) cb = at(b, ++bi);
    leading = false;

    while (isSpace(ca)) ca = at(a, ++ai);
    while (isSpace(cb)) cb = at(b, ++bi);

    if (isDigit(ca) && isDigit(cb)) {
      const fractional = ca === 0x30 || cb === 0x30;
      const run = fractional ? compareLeft(a, ai, b, bi) : compareRight(a, ai, b, bi);
      if (run.result !== 0) return run.result;
      ai = run.ai;
      bi = run.bi;
      if (ai === a.length && bi === b.length) return 0;
      if (ai === a.length) return -1;
      if (bi === b.length) return 1;
      ca = at(a, ai);
      cb = at(b, bi);
    }

    if (ca < cb) return -1;
    if (ca > cb) return 1;
    ++ai;
    ++bi;
    if (ai >= a.length && bi >= b.length) return 0;
    if (ai >= a.length) return -1;
    if (bi >= b.length) return 1;
  }
}

interface RunResult {
  result: -1 | 0 | 1;
  ai: number;
  bi: number;
}

/** Right-aligned runs: the longest run wins, else the first differing digit (remembered as bias). */
function compareRight(a: Buffer, ai: number, b: Buffer, bi: number): RunResult {
  let bias: -1 | 0 | 1 = 0;
  for (; ; ai++, bi++) {
    const aEnd = ai >= a.length || !isDigit(a[ai]!);
    const bEnd = bi >= b.length || !isDigit(b[bi]!);
    if (aEnd && bEnd) return { result: bias, ai, bi };
    if (aEnd) return { result: -1, ai, bi };
    if (bEnd) return { result: 1, ai, bi };
    if (bias === 0) {
      if (a[ai]! < b[bi]!) bias = -1;
      else if (a[ai]! > b[bi]!) bias = 1;
    }
  }
}

/** Left-aligned runs (a run starts with 0): the first differing digit wins. */
function compareLeft(a: Buffer, ai: number, b: Buffer, bi: number): RunResult {
  for (; ; ai++, bi++) {
    const aEnd = ai >= a.length || !isDigit(a[ai]!);
    const bEnd = bi >= b.length || !isDigit(b[bi]!);
    if (aEnd && bEnd) return { result: 0, ai, bi };
    if (aEnd) return { result: -1, ai, bi };
    if (bEnd) return { result: 1, ai, bi };
    if (a[ai]! < b[bi]!) return { result: -1, ai, bi };
    if (a[ai]! > b[bi]!) return { result: 1, ai, bi };
  }
}
