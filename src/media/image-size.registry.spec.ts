import { describe, expect, it } from 'vitest';
import { ImageSizeRegistry, PIWIGO_SIZES } from './image-size.registry.js';

describe('ImageSizeRegistry', () => {
  it("starts with Piwigo's sizes, smallest first, 3xlarge/4xlarge disabled", () => {
    const registry = new ImageSizeRegistry();
    expect(registry.list().map((s) => s.name)).toEqual(['square', 'thumb', '2small', 'xsmall', 'small', 'medium', 'large', 'xlarge', 'xxlarge']);
    expect(registry.get('medium')).toEqual({ name: 'medium', width: 792, height: 594, crop: false, eager: true, enabled: true });
    expect(registry.get('3xlarge')?.enabled).toBe(false);
    expect(registry.get('square')?.crop).toBe(true);
  });

  it('marks square, thumb and medium eager', () => {
    expect(new ImageSizeRegistry().eager().map((s) => s.name)).toEqual(['square', 'thumb', 'medium']);
  });

  it('registers new sizes and refuses duplicates with a clear error', () => {
    const registry = new ImageSizeRegistry();
    registry.register('banner', { width: 1600, height: 400, crop: true, eager: false });
    expect(registry.require('banner').width).toBe(1600);
    expect(() => registry.register('banner', { width: 10, height: 10, crop: false, eager: false })).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'image_size.duplicate', message: 'An image size named "banner" is already registered.' }),
    );
    expect(() => registry.register('thumb', { width: 10, height: 10, crop: false, eager: false })).toThrow(/already registered/);
  });

  it.each([['../etc'], ['Big'], [''], ['a'.repeat(33)], ['with space'], ['__proto__']])('refuses the unsafe name %j', (name) => {
    expect(() => new ImageSizeRegistry({}).register(name, { width: 10, height: 10, crop: false, eager: false })).toThrow(
      expect.objectContaining({ code: 'image_size.invalid' }),
    );
  });

  it.each([[0], [-5], [1.5], [20_000], [Number.NaN]])('refuses the width %d', (width) => {
    expect(() => new ImageSizeRegistry({}).register('x', { width, height: 10, crop: false, eager: false })).toThrow(/width between 1 and 10000/);
  });

  it('runs filters in order over the registered sizes (the image.sizes hook seam)', () => {
    const registry = new ImageSizeRegistry();
    registry.applyFilter((sizes) => {
      const { square: _dropped, ...rest } = sizes;
      return { ...rest, hero: { width: 2000, height: 800, crop: true, eager: true } };
    });
    registry.applyFilter((sizes) => ({ ...sizes, thumb: { ...sizes.thumb!, width: 200, height: 200 } }));
    expect(registry.get('square')).toBeUndefined();
    expect(registry.require('thumb').width).toBe(200);
    expect(registry.eager().map((s) => s.name)).toEqual(['thumb', 'medium', 'hero']);
  });

  it('validates what a filter returns', () => {
    const registry = new ImageSizeRegistry();
    registry.applyFilter((sizes) => ({ ...sizes, 'Bad Name': { width: 1, height: 1, crop: false, eager: false } }));
    expect(() => registry.list()).toThrow(expect.objectContaining({ code: 'image_size.invalid' }));
  });

  it('sees sizes registered after a filter was applied', () => {
    const registry = new ImageSizeRegistry({});
    registry.applyFilter((sizes) => sizes);
    expect(registry.list()).toEqual([]);
    registry.register('late', { width: 50, height: 50, crop: false, eager: false });
    expect(registry.list().map((s) => s.name)).toEqual(['late']);
  });

  it('hands frozen sizes to filters and callers', () => {
    const registry = new ImageSizeRegistry();
    expect(Object.isFrozen(registry.require('thumb'))).toBe(true);
    expect(Object.isFrozen(registry.all())).toBe(true);
    expect(Object.keys(PIWIGO_SIZES)).toHaveLength(11);
  });

  it('answers require() for unknown names with not_found', () => {
    expect(() => new ImageSizeRegistry().require('nope')).toThrow(expect.objectContaining({ kind: 'not_found', code: 'image_size.not_found' }));
  });
});
