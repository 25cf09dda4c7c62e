import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_GROWING_PERCENT, HEAP_GROWING_ENV, tuneHeapGrowth } from './heap-growth.js';

/** Runs tuneHeapGrowth with a fake V8 and returns what it set and returned. */
function tune(env: Record<string, string | undefined>, execArgv: string[] = []): { percent: number; flags: string[] } {
  const flags: string[] = [];
  const percent = tuneHeapGrowth(env, execArgv, (f) => flags.push(f));
  return { percent, flags };
}

describe('tuneHeapGrowth', () => {
  it('sets V8 heap growing factor to the default when the variable is unset or empty', () => {
    expect(DEFAULT_HEAP_GROWING_PERCENT).toBe(100);
    expect(tune({})).toEqual({ percent: 100, flags: ['--heap-growing-percent=100'] });
    expect(tune({ [HEAP_GROWING_ENV]: ' ' })).toEqual({ percent: 100, flags: ['--heap-growing-percent=100'] });
  });

  it('takes the value of VITRINE_HEAP_GROWING_PERCENT, and 0 leaves V8 to choose', () => {
    expect(tune({ [HEAP_GROWING_ENV]: '60' })).toEqual({ percent: 60, flags: ['--heap-growing-percent=60'] });
    expect(tune({ [HEAP_GROWING_ENV]: '0' })).toEqual({ percent: 0, flags: [] });
  });

  it('leaves a --heap-growing-percent given to node alone', () => {
    expect(tune({ [HEAP_GROWING_ENV]: '60' }, ['--trace-gc', '--heap-growing-percent=30'])).toEqual({ percent: 30, flags: [] });
  });

  it.each(['-5', '2.5', 'lots', '5000'])('refuses %s with a message naming the variable', (value) => {
    expect(() => tune({ [HEAP_GROWING_ENV]: value })).toThrow(new RegExp(`${HEAP_GROWING_ENV} must be a whole number from 0 to 1000.*"${value}"`));
  });

  it('reaches V8 for real: the flag is accepted by this node', () => {
    // A node whose V8 dropped the flag would ignore it; --v8-options lists the flags it knows.
    expect(execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' })).toContain('--heap-growing-percent');
  });
});
