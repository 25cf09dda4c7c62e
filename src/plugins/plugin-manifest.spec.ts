import { describe, expect, it } from 'vitest';
import { PluginLoadError } from './plugin.errors.js';
import { parsePluginManifest } from './plugin-manifest.js';

const FILE = '/srv/vitrine/plugins/film-roll/package.json';
const parse = (json: unknown) => parsePluginManifest(typeof json === 'string' ? json : JSON.stringify(json), FILE);
const problems = (json: unknown): readonly string[] => {
  try {
    parse(json);
  } catch (error) {
    expect(error).toBeInstanceOf(PluginLoadError);
    return (error as PluginLoadError).problems;
  }
  throw new Error('expected the manifest to be refused');
};
const valid = { name: 'film-roll', version: '1.0.0', vitrine: { compatibility: '^0.1', main: 'src/index.ts' } };

describe('parsePluginManifest', () => {
  it('accepts a minimal manifest and normalises dependsOn', () => {
    expect(parse(valid)).toEqual({ name: 'film-roll', version: '1.0.0', compatibility: '^0.1', main: 'src/index.ts', dependsOn: {} });
    expect(parse({ ...valid, vitrine: { ...valid.vitrine, dependsOn: ['exif-plus'] } }).dependsOn).toEqual({ 'exif-plus': '*' });
    expect(parse({ ...valid, vitrine: { ...valid.vitrine, dependsOn: { 'exif-plus': '^2.1' } } }).dependsOn).toEqual({ 'exif-plus': '^2.1' });
  });

  it('names the file and the field, and shows what it found', () => {
    expect(problems({ ...valid, version: 'one' })).toEqual([`${FILE}: version: must be a semver version such as "1.0.0" (found "one")`]);
    expect(problems({ ...valid, vitrine: { ...valid.vitrine, compatibility: 'soon' } })).toEqual([
      `${FILE}: vitrine.compatibility: must be a semver range such as "^0.1" or ">=1.2 <3" (found "soon")`,
    ]);
  });

  it('reports every problem at once', () => {
    const found = problems({ name: 'Film Roll', version: '1', vitrine: { main: '../escape.js', extra: true } });
    expect(found.join('\n')).toContain('name: must be lower-case kebab-case');
    expect(found.join('\n')).toContain('version: must be a semver version');
    expect(found.join('\n')).toContain('vitrine.compatibility:');
    expect(found.join('\n')).toContain('vitrine.main: must be a relative path inside the plugin folder');
    expect(found.join('\n')).toMatch(/vitrine: Unrecognized key.*extra/);
    expect(found.every((p) => p.startsWith(`${FILE}: `))).toBe(true);
  });

  it('refuses reserved names, absolute mains and self-dependencies', () => {
    expect(problems({ ...valid, name: 'core' })[0]).toContain('name: is reserved for core');
    expect(problems({ ...valid, vitrine: { ...valid.vitrine, main: '/etc/passwd' } })[0]).toContain('vitrine.main');
    expect(problems({ ...valid, vitrine: { ...valid.vitrine, dependsOn: ['film-roll'] } })[0]).toContain('depends on itself');
  });

  it('explains a package.json that is not a plugin, or not JSON', () => {
    expect(problems({ name: 'x', version: '1.0.0' })[0]).toMatch(/no "vitrine" section, so this is not a Vitrine plugin/);
    expect(problems('{ "name": ')[0]).toMatch(new RegExp(`^${FILE}: not valid JSON`));
  });
});
