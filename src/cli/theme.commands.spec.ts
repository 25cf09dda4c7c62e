import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VitrineError } from '../common/errors.js';
import type { ThemeCheckCode } from '../themes/theme-check.rules.js';
import { runThemeCheck } from './theme.commands.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/themes');

/** Fixture folder → the one rule it breaks, and whether that fails the check. */
const BROKEN: [dir: string, code: ThemeCheckCode, fails: boolean][] = [
  ['pkg-missing', 'THEME_PKG_MISSING', true],
  ['pkg-invalid', 'THEME_PKG_INVALID', true],
  ['engine-range', 'THEME_ENGINE_RANGE', true],
  ['template-missing', 'TEMPLATE_REQUIRED_MISSING', true],
  ['template-syntax', 'TEMPLATE_SYNTAX', true],
  ['helper-unknown', 'HELPER_UNKNOWN', true],
  ['partial-unknown', 'PARTIAL_UNKNOWN', true],
  ['setting-unknown', 'SETTING_UNKNOWN', true],
  ['setting-invalid', 'SETTING_INVALID', true],
  ['locale-invalid', 'LOCALE_INVALID', true],
  ['triple-stash', 'TRIPLE_STASH_USER_DATA', false],
  ['asset-missing', 'ASSET_MISSING', false],
  ['image-size-unknown', 'IMAGE_SIZE_UNKNOWN', false],
];

describe('vitrine theme:check', () => {
  it.each(['default', 'portfolio'])('passes the bundled %s theme with exit code 0', async (name) => {
    const run = await runThemeCheck(join(ROOT, 'themes', name));
    expect(run.result.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.output).toBe(`${name}: no problems found\n`);
  });

  it.each(BROKEN)('%s: reports %s, exit code %s', async (dir, code, fails) => {
    const run = await runThemeCheck(join(FIXTURES, dir));
    expect(run.code).toBe(fails ? 1 : 0);
    const level = fails ? 'error' : 'warning';
    expect(run.output).toMatch(new RegExp(`^${level} +\\S.*  ${code}  `, 'm'));
    expect(run.output).toMatch(new RegExp(`^${dir}: ${fails ? '[1-9]\\d* error' : '0 error'}`, 'm'));
  });

  it('--strict fails on warnings too', async () => {
    const run = await runThemeCheck(join(FIXTURES, 'asset-missing'), { strict: true });
    expect(run.code).toBe(1);
  });

  it('--json prints the findings with codes and levels', async () => {
    const run = await runThemeCheck(join(FIXTURES, 'helper-unknown'), { json: true });
    const parsed = JSON.parse(run.output) as { theme: string; ok: boolean; errors: { code: string; level: string; file: string; line: number }[] };
    expect(parsed.theme).toBe('helper-unknown');
    expect(parsed.ok).toBe(false);
    expect(parsed.errors[0]).toMatchObject({ code: 'HELPER_UNKNOWN', level: 'error', file: 'album.hbs', line: 2 });
  });

  it('refuses a path that is not a folder', async () => {
    await expect(runThemeCheck(join(FIXTURES, 'no-such-theme'))).rejects.toThrow(VitrineError);
    await expect(runThemeCheck(join(FIXTURES, 'pages.fixture.ts'))).rejects.toThrow(/is not a folder/);
  });
});
