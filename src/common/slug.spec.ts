import { describe, expect, it } from 'vitest';
import { isValidSlug, slugify } from './slug.js';

describe('slugify', () => {
  it('folds accents, case and punctuation into single hyphens', () => {
    expect(slugify('Été à Paris — 2024!')).toBe('ete-a-paris-2024');
  });
  it('falls back when nothing usable remains', () => {
    expect(slugify('日本', 'album')).toBe('album');
    expect(slugify('---')).toBe('item');
  });
  it('produces slugs that pass validation and respects the length cap', () => {
    const slug = slugify('a'.repeat(50) + ' ' + 'b'.repeat(50), 'x', 60);
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(isValidSlug(slug)).toBe(true);
    expect(isValidSlug('Bad Slug')).toBe(false);
  });
});
