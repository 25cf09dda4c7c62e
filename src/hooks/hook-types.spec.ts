import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The type-level tests (`*.test-d.ts`) are only worth something if they compile: every
 * `@ts-expect-error` in them must be a real error (TS2578 otherwise) and every positive case must
 * type-check. This runs `tsc` on them so that `npm test` enforces it.
 */
describe('hook and plugin types', () => {
  it('compile: wrong filter returns, wrong action arguments and unknown hooks are errors', () => {
    const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'test/types/tsconfig.json'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);
});
