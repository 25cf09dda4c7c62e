import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatThemeCheck, type ThemeCheckCode } from './theme-check.rules.js';
import { VITRINE_VERSION } from './theme-manifest.js';
import { checkTheme } from './theme.checker.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/themes');

const CASES: [dir: string, code: ThemeCheckCode, level: 'error' | 'warning', file?: string, line?: number][] = [
  ['pkg-missing', 'THEME_PKG_MISSING', 'error', 'package.json'],
  ['pkg-invalid', 'THEME_PKG_INVALID', 'error', 'package.json'],
  ['engine-range', 'THEME_ENGINE_RANGE', 'error', 'package.json'],
  ['template-missing', 'TEMPLATE_REQUIRED_MISSING', 'error', 'photo.hbs'],
  ['template-syntax', 'TEMPLATE_SYNTAX', 'error', 'album.hbs'],
  ['helper-unknown', 'HELPER_UNKNOWN', 'error', 'album.hbs', 2],
  ['partial-unknown', 'PARTIAL_UNKNOWN', 'error', 'album.hbs', 2],
  ['setting-unknown', 'SETTING_UNKNOWN', 'error', 'album.hbs', 2],
  ['setting-invalid', 'SETTING_INVALID', 'error', 'package.json'],
  ['triple-stash', 'TRIPLE_STASH_USER_DATA', 'warning', 'album.hbs', 2],
  ['locale-invalid', 'LOCALE_INVALID', 'error', 'locales/de.json'],
  ['asset-missing', 'ASSET_MISSING', 'warning', 'album.hbs', 1],
  ['image-size-unknown', 'IMAGE_SIZE_UNKNOWN', 'warning', 'photo.hbs', 1],
];

describe('checkTheme', () => {
  it.each(CASES)('%s reports %s', async (dir, code, level, file, line) => {
    const result = await checkTheme(join(FIXTURES, dir));
    const all = [...result.errors, ...result.warnings];
    const found = all.filter((i) => i.code === code);
    expect(found.length, formatThemeCheck(result, dir)).toBeGreaterThan(0);
    expect(found[0]!.level).toBe(level);
    if (file) expect(found.map((i) => i.file)).toContain(file);
    if (line) expect(found.find((i) => i.file === file)!.line).toBe(line);
    // Each fixture breaks one rule only.
    expect(new Set(all.map((i) => i.code))).toEqual(new Set([code]));
    expect(found.every((i) => i.message.length > 10)).toBe(true);
  });

  it('tells a value called like a helper from an unknown helper', async () => {
    const { errors } = await checkTheme(join(FIXTURES, 'helper-unknown'));
    expect(errors.map((e) => e.message)).toEqual([
      'unknown helper "shout"',
      '"album.name" is a value, not a helper: it cannot take arguments',
    ]);
    expect(errors.map((e) => e.line)).toEqual([2, 3]);
  });

  it('reports both the bad locale content and the bad file name', async () => {
    const { errors } = await checkTheme(join(FIXTURES, 'locale-invalid'));
    expect(errors.map((e) => e.file).sort()).toEqual(['locales/English.json', 'locales/de.json']);
  });

  it('accepts plugin helpers and partials when told about them', async () => {
    const result = await checkTheme(join(FIXTURES, 'helper-unknown'), { extraHelpers: ['shout'] });
    expect(result.errors.map((e) => e.message)).toEqual(['"album.name" is a value, not a helper: it cannot take arguments']);
    const partials = await checkTheme(join(FIXTURES, 'partial-unknown'), { extraPartials: ['album-card'] });
    expect(partials.errors).toEqual([]);
  });

  it('passes the minimal fixture and both bundled themes without errors or warnings', async () => {
    for (const dir of [join(FIXTURES, 'minimal'), join(ROOT, 'themes/default'), join(ROOT, 'themes/portfolio')]) {
      const result = await checkTheme(dir);
      expect(result, formatThemeCheck(result, dir)).toEqual({ errors: [], warnings: [] });
    }
  });

  it('formats a readable report', async () => {
    const text = formatThemeCheck(await checkTheme(join(FIXTURES, 'setting-unknown')), 'setting-unknown');
    expect(text).toContain('error   album.hbs:2:6  SETTING_UNKNOWN  @custom.colour is not declared');
    expect(text).toContain('setting-unknown: 1 error(s), 0 warning(s)');
  });

  it('checks engines.vitrine against the real version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(VITRINE_VERSION).toBe(pkg.version);
    const future = await checkTheme(join(FIXTURES, 'engine-range'), { vitrineVersion: '5.1.0' });
    expect(future.errors).toEqual([]);
  });

  it('reports a missing folder', async () => {
    const { errors } = await checkTheme(join(FIXTURES, 'does-not-exist'));
    expect(errors[0]!.code).toBe('THEME_PKG_MISSING');
  });
});
