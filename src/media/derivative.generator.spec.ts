import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHostileFixtures, type Fixture } from '../../test/fixtures/make-hostile-fixtures.js';
import { DERIVATIVE_EXT, generateDerivatives, generateOne, makePlaceholder, type DerivativeTarget } from './derivative.generator.js';
import { ImageSizeRegistry } from './image-size.registry.js';

let dir: string;
let fixtures: Record<string, Fixture>;
let photo: string;
const registry = new ImageSizeRegistry();
const options = { maxImagePixels: 100_000_000 };
let run = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-deriv-'));
  fixtures = await makeHostileFixtures(join(dir, 'fixtures'));
  photo = join(dir, 'photo.jpg');
  const gradient = Buffer.alloc(1200 * 900 * 3);
  for (let i = 0; i < 1200 * 900; i++) gradient.set([(i % 1200) / 5, Math.floor(i / 1200) / 4, 128], i * 3);
  await writeFile(photo, await sharp(gradient, { raw: { width: 1200, height: 900, channels: 3 } }).jpeg().toBuffer());
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const path = (name: string) => fixtures[name]!.path;
function outDir(): { out: string; target: DerivativeTarget } {
  const out = join(dir, `out${run++}`);
  return { out, target: (size, format) => join(out, `${size.name}.${DERIVATIVE_EXT[format]}`) };
}

describe('generateDerivatives', () => {
  it('writes every eager size from one call, at the right dimensions', async () => {
    const { out, target } = outDir();
    const set = await generateDerivatives(photo, registry.eager(), target, options);
    expect(set.source).toEqual({ width: 1200, height: 900 });
    const dims = Object.fromEntries(set.derivatives.map((d) => [d.size, [d.width, d.height]]));
    expect(dims).toEqual({ square: [120, 120], thumb: [144, 108], medium: [792, 594] });
    expect((await readdir(out)).sort()).toEqual(['medium.jpg', 'square.jpg', 'thumb.jpg']);
    for (const d of set.derivatives) {
      const meta = await sharp(d.path).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', d.width, d.height]);
      expect(d.bytes).toBe((await readFile(d.path)).length);
    }
  });

  it('writes WebP and AVIF variants when asked', async () => {
    const { out, target } = outDir();
    const set = await generateDerivatives(photo, [registry.require('thumb')], target, { ...options, formats: ['jpeg', 'webp', 'avif'] });
    expect(set.derivatives.map((d) => d.format).sort()).toEqual(['avif', 'jpeg', 'webp']);
    expect((await sharp(join(out, 'thumb.webp')).metadata()).format).toBe('webp');
    expect((await sharp(join(out, 'thumb.avif')).metadata()).format).toBe('heif');
  });

  it('applies EXIF orientation: a 60×40 photo with orientation 6 becomes 40×60, red on top', async () => {
    const { out, target } = outDir();
    const set = await generateDerivatives(path('orientation-6.jpg'), [registry.require('medium')], target, options);
    expect(set.source).toEqual({ width: 40, height: 60 });
    const { data, info } = await sharp(join(out, 'medium.jpg')).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([40, 60]);
    const pixel = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    const [r1, , b1] = pixel(20, 5);
    const [r2, , b2] = pixel(20, 55);
    expect(r1! > 200 && b1! < 60).toBe(true);
    expect(b2! > 200 && r2! < 60).toBe(true);
    expect((await sharp(join(out, 'medium.jpg')).metadata()).orientation).toBeUndefined();
  });

  it('strips EXIF, GPS, IPTC and XMP and keeps only an sRGB profile', async () => {
    const { out, target } = outDir();
    await generateDerivatives(path('gps-iptc.jpg'), [registry.require('thumb')], target, options);
    const file = join(out, 'thumb.jpg');
    const meta = await sharp(file).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeDefined();
    expect(meta.icc!.length).toBeLessThan(1024);
    expect(meta.icc!.toString('latin1', 16, 20)).toBe('RGB ');
    expect(meta.icc!.toString('latin1').replace(/\0/g, '')).toContain('sRGB');
    const bytes = (await readFile(file)).toString('latin1');
    for (const secret of ['Canon', 'Statue', 'Liberty', 'Jane']) expect(bytes).not.toContain(secret);
  });

  it('converts CMYK to sRGB', async () => {
    const { out, target } = outDir();
    await generateDerivatives(path('cmyk.jpg'), [registry.require('thumb')], target, options);
    const meta = await sharp(join(out, 'thumb.jpg')).metadata();
    expect([meta.space, meta.channels]).toEqual(['srgb', 3]);
  });

  it('flattens alpha on white for JPEG and keeps it for WebP', async () => {
    const { out, target } = outDir();
    await generateDerivatives(path('alpha.png'), [registry.require('thumb')], target, { ...options, formats: ['jpeg', 'webp'] });
    const jpeg = await sharp(join(out, 'thumb.jpg')).raw().toBuffer({ resolveWithObject: true });
    expect(jpeg.info.channels).toBe(3);
    expect(Array.from(jpeg.data.subarray(0, 3))).toEqual([expect.closeTo(127, -1.5), expect.closeTo(127, -1.5), 255]);
    expect((await sharp(join(out, 'thumb.webp')).metadata()).hasAlpha).toBe(true);
  });

  it('never enlarges a small original', async () => {
    const { target } = outDir();
    const set = await generateDerivatives(path('gps-iptc.jpg'), registry.eager(), target, options);
    const dims = Object.fromEntries(set.derivatives.map((d) => [d.size, [d.width, d.height]]));
    expect(dims).toEqual({ square: [48, 48], thumb: [64, 48], medium: [64, 48] });
  });

  it('computes a blur placeholder under 1 KB, 16 px wide', async () => {
    const { target } = outDir();
    const set = await generateDerivatives(photo, registry.eager(), target, options);
    expect(set.placeholder).toMatch(/^data:image\/webp;base64,/);
    expect(set.placeholder!.length).toBeLessThan(1024);
    const webp = Buffer.from(set.placeholder!.split(',')[1]!, 'base64');
    expect(await sharp(webp).metadata()).toMatchObject({ format: 'webp', width: 16, height: 12 });
    expect(await makePlaceholder(photo, options)).toMatch(/^data:image\/webp;base64,/);
  });

  it('leaves no temp files behind, and nothing at all when the original is corrupt', async () => {
    const ok = outDir();
    await generateDerivatives(photo, registry.eager(), ok.target, { ...options, formats: ['jpeg', 'webp'] });
    expect((await readdir(ok.out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const bad = outDir();
    await expect(generateDerivatives(path('truncated.jpg'), registry.eager(), bad.target, options)).rejects.toThrow();
    await expect(readdir(bad.out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('respects the pixel limit', async () => {
    const { target } = outDir();
    await expect(generateDerivatives(photo, registry.eager(), target, { maxImagePixels: 1000 })).rejects.toThrow(/pixel limit/);
  });

  it('replaces an existing derivative atomically', async () => {
    const { out, target } = outDir();
    await generateDerivatives(path('gps-iptc.jpg'), [registry.require('thumb')], target, options);
    await generateDerivatives(photo, [registry.require('thumb')], target, options);
    expect(await readdir(out)).toEqual(['thumb.jpg']);
    expect((await sharp(join(out, 'thumb.jpg')).metadata()).width).toBe(144);
  });
});

describe('generateOne', () => {
  it('builds a lazy size on demand with the same rules', async () => {
    const { out } = outDir();
    const file = join(out, 'large.webp');
    const written = await generateOne(path('orientation-6.jpg'), registry.require('large'), 'webp', file, options);
    expect(written).toMatchObject({ size: 'large', format: 'webp', width: 40, height: 60, path: file });
    expect(await sharp(file).metadata()).toMatchObject({ format: 'webp', width: 40, height: 60 });
    const xl = await generateOne(photo, registry.require('xlarge'), 'jpeg', join(out, 'xlarge.jpg'), options);
    expect([xl.width, xl.height]).toEqual([1200, 900]);
    const sq = await generateOne(photo, registry.require('square'), 'jpeg', join(out, 'square.jpg'), options);
    expect([sq.width, sq.height]).toEqual([120, 120]);
    expect((await sharp(sq.path).metadata()).exif).toBeUndefined();
  });
});

describe('derivatives only from allowed images', () => {
  it('refuses to render an SVG (or any non-image) even if one sits where an original should be', async () => {
    const { out, target } = outDir();
    await expect(generateDerivatives(path('svg-script.jpg'), registry.eager(), target, options)).rejects.toMatchObject({ code: 'upload.not_an_image' });
    await expect(generateOne(path('plain.svg'), registry.require('thumb'), 'jpeg', join(out, 'x.jpg'), options)).rejects.toMatchObject({
      code: 'upload.not_an_image',
    });
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
