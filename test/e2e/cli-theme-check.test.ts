import { describe, expect, it } from 'vitest';
import { spawnVitrine } from '../support/spawn-vitrine.js';

/** The built CLI (`npm run build` first): exit codes and rule codes as a shell user sees them. */
describe('vitrine theme:check (built dist/src/cli.js)', () => {
  const run = async (args: string[]) => {
    const p = spawnVitrine({}, 'cli.js', ['theme:check', ...args]);
    const code = await p.exited();
    return { code, out: p.output(), err: p.stderr() };
  };

  it('passes themes/default and themes/portfolio', async () => {
    for (const name of ['default', 'portfolio']) {
      const r = await run([`themes/${name}`]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toBe(`${name}: no problems found\n`);
    }
  });

  it('fails with the rule code on a broken theme', async () => {
    const r = await run(['test/fixtures/themes/partial-unknown']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^error +album\.hbs:2:\d+  PARTIAL_UNKNOWN  /m);
    expect(r.out).toMatch(/partial-unknown: 1 error\(s\), 0 warning\(s\)/);
  });

  it('a missing folder is one line on stderr and exit code 1', async () => {
    const r = await run(['themes/nope']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^vitrine: themes\/nope is not a folder/);
  });
});
