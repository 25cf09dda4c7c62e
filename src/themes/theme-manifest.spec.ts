import { describe, expect, it } from 'vitest';
import { formatAperture, formatCamera, formatExposure, formatFocalLength, photoAlt } from './photo-metadata.format.js';
import { isValidRange, satisfies } from './semver-range.js';
import { parseThemeManifest, resolveThemeSettings } from './theme-manifest.js';

describe('semver ranges', () => {
  it.each([
    ['0.1.0', '^0.1.0', true],
    ['0.2.0', '^0.1.0', false],
    ['1.4.2', '^1.2', true],
    ['2.0.0', '^1.2', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.5.0', '>=1.2.0 <2', true],
    ['3.0.0', '1.x || >=3', true],
    ['2.1.0', '1.x || >=3', false],
    ['1.5.0', '1.0 - 2.0', true],
    ['0.1.0', '*', true],
    ['0.1.0', '>=5.0.0', false],
  ])('%s satisfies %s: %s', (version, range, ok) => expect(satisfies(version, range)).toBe(ok));

  it('rejects nonsense', () => {
    expect(isValidRange('banana')).toBe(false);
    expect(isValidRange('')).toBe(false);
    expect(satisfies('x', '^1')).toBe(false);
  });
});

describe('theme manifest', () => {
  const base = { name: 't', version: '1.0.0', engines: { vitrine: '^0.1.0' } };

  it('applies config defaults', () => {
    const r = parseThemeManifest(base);
    expect(r.ok && r.manifest.config).toEqual({ per_page: 30, image_sizes: {}, custom: {} });
  });

  it('reports problems with dotted paths', () => {
    const r = parseThemeManifest({
      ...base,
      config: { per_page: 0, image_sizes: { 'Big!': { width: 10, height: 10 } }, custom: { mode: { type: 'select', options: ['a'], default: 'b' } } },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const paths = r.problems.map((p) => p.path);
      expect(paths).toContain('config.per_page');
      expect(paths.some((p) => p.startsWith('config.image_sizes'))).toBe(true);
      expect(paths).toContain('config.custom.mode.default');
    }
  });

  it('resolves settings: valid stored values win, others fall back to defaults', () => {
    const r = parseThemeManifest({
      ...base,
      config: {
        custom: {
          accent: { type: 'color', default: '#000000' },
          rows: { type: 'number', default: 200, min: 100, max: 400 },
          mode: { type: 'select', options: [{ value: 'a', label: 'A' }, 'b'], default: 'a' },
          on: { type: 'boolean', default: false },
        },
      },
    });
    if (!r.ok) throw new Error('invalid');
    const rejected: string[] = [];
    const s = resolveThemeSettings(r.manifest, { accent: 'red', rows: 300, mode: 'b', on: 'yes', extra: 1 }, (k) => rejected.push(k));
    expect(s).toEqual({ accent: '#000000', rows: 300, mode: 'b', on: false });
    expect(rejected).toEqual(['accent', 'on']);
  });
});

describe('photo metadata formatting', () => {
  it('formats exposure, aperture, focal length, camera and alt text', () => {
    expect(formatExposure(1 / 250)).toBe('1/250 s');
    expect(formatExposure(2)).toBe('2 s');
    expect(formatExposure(0.4)).toBe('0.4 s');
    expect(formatExposure(0)).toBeNull();
    expect(formatAperture(2.8)).toBe('f/2.8');
    expect(formatFocalLength(35)).toBe('35 mm');
    expect(formatCamera('Canon', 'Canon EOS R5')).toBe('Canon EOS R5');
    expect(formatCamera('FUJIFILM', 'X-T4')).toBe('FUJIFILM X-T4');
    expect(formatCamera(null, null)).toBeNull();
    expect(photoAlt({ id: 12, title: '  Fjord ', description: null })).toBe('Fjord');
    expect(photoAlt({ id: 12, title: null, description: 'Boats\nin a storm' })).toBe('Boats in a storm');
    expect(photoAlt({ id: 12, title: '', description: '' }, 'Foto')).toBe('Foto 12');
  });
});
