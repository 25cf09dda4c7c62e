import { describe, expect, it } from 'vitest';
import { PluginLoadError } from './plugin.errors.js';
import { enabledInOrder, orderPlugins } from './plugin-order.js';

const plugin = (name: string, dependsOn: Record<string, string> = {}, version = '1.0.0') => ({ name, manifest: { version, dependsOn } });
const names = (list: readonly { name: string }[]) => list.map((p) => p.name);

describe('orderPlugins', () => {
  it('puts dependencies first and keeps independent plugins alphabetical', () => {
    const ordered = orderPlugins([plugin('zeta'), plugin('gallery-map', { 'geo-core': '*' }), plugin('geo-core', { base: '^1' }), plugin('base'), plugin('alpha')]);
    expect(names(ordered)).toEqual(['alpha', 'base', 'geo-core', 'gallery-map', 'zeta']);
  });

  it('is stable whatever the input order', () => {
    const list = [plugin('c', { a: '*' }), plugin('b'), plugin('a'), plugin('d', { c: '*', b: '*' })];
    expect(names(orderPlugins(list))).toEqual(names(orderPlugins([...list].reverse())));
  });

  it('names a missing dependency and its dependent', () => {
    expect(() => orderPlugins([plugin('map', { 'geo-core': '^1' })])).toThrow('Plugin "map" depends on plugin "geo-core", which is not installed.');
  });

  it('checks the version range of dependencies', () => {
    expect(() => orderPlugins([plugin('map', { geo: '^2.0.0' }), plugin('geo', {}, '1.4.0')])).toThrow(
      'Plugin "map" needs plugin "geo" ^2.0.0, but "geo" is 1.4.0.',
    );
  });

  it('spells out a cycle', () => {
    const run = () => orderPlugins([plugin('free'), plugin('a', { b: '*' }), plugin('b', { c: '*' }), plugin('c', { a: '*' }), plugin('d', { a: '*' })]);
    expect(run).toThrow(PluginLoadError);
    expect(run).toThrow('Plugins depend on each other in a cycle: a → b → c → a.');
  });
});

describe('enabledInOrder', () => {
  it('keeps enabled plugins in order and refuses an enabled plugin whose dependency is disabled', () => {
    const ordered = orderPlugins([plugin('map', { geo: '*' }), plugin('geo'), plugin('other')]);
    expect(names(enabledInOrder(ordered, (n) => n !== 'other'))).toEqual(['geo', 'map']);
    expect(() => enabledInOrder(ordered, (n) => n !== 'geo')).toThrow('Plugin "map" is enabled but depends on plugin "geo", which is disabled.');
  });
});
