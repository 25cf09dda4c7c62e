import { describe, expect, it } from 'vitest';
import { PluginConflictError } from './plugin.errors.js';
import { normalise, PluginRegistry } from './plugin.registry.js';

const size = (name: string) => ({ name, width: 10, height: 10 });

describe('PluginRegistry', () => {
  it('holds contributions by kind with their owner, in order', () => {
    const registry = new PluginRegistry();
    registry.add('imageSize', 'poster', 'alpha', size('poster'));
    registry.add('imageSize', 'banner', 'beta', size('banner'));
    expect(registry.list('imageSize').map((c) => [c.key, c.owner])).toEqual([['poster', 'alpha'], ['banner', 'beta']]);
    expect(registry.get('imageSize', 'banner')?.value.name).toBe('banner');
    expect(registry.list('importer')).toEqual([]);
  });

  it('adds a batch all or nothing', () => {
    const registry = new PluginRegistry();
    registry.add('imageSize', 'poster', 'alpha', size('poster'));
    const batch = [
      { kind: 'imageSize', key: 'fresh', owner: 'beta', value: size('fresh') },
      { kind: 'imageSize', key: 'poster', owner: 'beta', value: size('poster') },
    ] as const;
    expect(() => registry.addAll(batch)).toThrow(PluginConflictError);
    expect(registry.get('imageSize', 'fresh')).toBeUndefined();
  });

  it('reserves core keys and prefixes, which list() does not show', () => {
    const registry = new PluginRegistry({ route: ['/admin/*', '/'], wsMethod: ['pwg.*'] });
    expect(() => registry.add('route', '/admin', 'a', {} as never)).toThrow('already belongs to core');
    expect(() => registry.add('route', '/Admin/users/', 'a', {} as never)).toThrow('"/admin/*" already belongs to core');
    expect(() => registry.add('route', '/', 'a', {} as never)).toThrow(PluginConflictError);
    expect(() => registry.add('wsMethod', 'pwg.tags.getList', 'a', {} as never)).toThrow(PluginConflictError);
    registry.add('route', '/administrators', 'a', {} as never);
    registry.add('wsMethod', 'pwgx.run', 'a', {} as never);
    expect(registry.list('route').map((r) => r.key)).toEqual(['/administrators']);
    expect(registry.view().keys('route').map((r) => r.owner)).toEqual(['core', 'core', 'a']);
  });

  it('forgets everything an owner added', () => {
    const registry = new PluginRegistry({ imageSize: ['thumb'] });
    registry.add('imageSize', 'poster', 'alpha', size('poster'));
    registry.add('importer', 'flickr', 'alpha', {} as never);
    registry.removeOwner('alpha');
    expect(registry.list('imageSize')).toEqual([]);
    expect(registry.list('importer')).toEqual([]);
    registry.add('imageSize', 'poster', 'beta', size('poster'));
  });

  it('normalises routes and case-insensitive keys', () => {
    expect(normalise('route', '/films//:slug/')).toBe('/films/:');
    expect(normalise('route', '/')).toBe('/');
    expect(normalise('wsMethod', 'Films.GetList')).toBe('films.getlist');
    expect(normalise('imageSize', 'Poster')).toBe('Poster');
  });
});
