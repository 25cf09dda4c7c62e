import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HookRegistry } from '../../../src/hooks/hook.registry.js';
import type { ImageVariant, ImageVariantRequest } from '../../../src/hooks/hook-payloads.js';
import type { PluginContext } from '../../../src/plugins/index.js';
import { loadPlugins } from '../../../src/plugins/plugin.loader.js';
import { escapeMarkup, place, WatermarkRenderer } from './watermark.renderer.js';
import { variantKey, watermarkOptions, type WatermarkOptions } from './watermark.settings.js';

const pluginsRoot = fileURLToPath(new URL('../../', import.meta.url));
const guest = { userId: null, username: null, role: 'guest', via: 'session' } as const;
const request = (over: Partial<ImageVariantRequest> = {}): ImageVariantRequest => ({ photoId: 1, size: 'medium', format: 'jpeg', canDownload: false, actor: guest, ...over });
let dir: string;
let grey: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'watermark-'));
  grey = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#808080' } }).jpeg({ quality: 95 }).toBuffer();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Mean absolute difference per channel between two images in a region (0–255). */
async function difference(a: Buffer, b: Buffer, region: { left: number; top: number; width: number; height: number }): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((img) => sharp(img).extract(region).removeAlpha().raw().toBuffer()));
  let sum = 0;
  for (let i = 0; i < x!.length; i++) sum += Math.abs(x![i]! - y![i]!);
  return sum / x!.length;
}

const TOP_LEFT = { left: 0, top: 0, width: 100, height: 60 };
const BOTTOM_RIGHT = { left: 260, top: 220, width: 130, height: 70 };

async function load(settings: Partial<WatermarkOptions> = {}) {
  const hooks = new HookRegistry();
  const { loaded } = await loadPlugins({ roots: [pluginsRoot], coreVersion: '0.1.0', hooks, isEnabled: (n) => n === 'watermark' });
  const plugin = loaded[0]!;
  await plugin.definition.bootstrap!({ options: watermarkOptions.parse(settings) } as PluginContext<WatermarkOptions>);
  return hooks;
}

describe('watermark settings', () => {
  it('have defaults and refuse bad values', () => {
    const o = watermarkOptions.parse({});
    expect(o).toMatchObject({ mode: 'text', text: 'Preview', opacity: 0.5, position: 'bottom-right' });
    expect(o.sizes).toContain('medium');
    expect(o.sizes).not.toContain('thumb');
    for (const bad of [{ opacity: 0 }, { opacity: 2 }, { position: 'middle' }, { color: 'red' }, { mode: 'image' }, { image: 'relative.png', mode: 'image' }, { sizes: ['../x'] }, { extra: 1 }]) {
      expect(watermarkOptions.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('variant keys change with every visible setting and with the mark file', () => {
    const base = watermarkOptions.parse({});
    const keys = new Set([
      variantKey(base),
      variantKey({ ...base, text: 'Other' }),
      variantKey({ ...base, opacity: 0.6 }),
      variantKey({ ...base, position: 'center' }),
      variantKey({ ...base, scale: 0.5 }),
      variantKey({ ...base, color: '#000000' }),
      variantKey(base, '12:34'),
    ]);
    expect(keys.size).toBe(7);
    expect(variantKey(base)).toBe(variantKey(watermarkOptions.parse({})));
    expect(variantKey({ ...base, sizes: ['thumb'] })).toBe(variantKey(base)); // which sizes does not change the pixels
    expect(variantKey(base)).toMatch(/^wm-[0-9a-f]{12}$/);
  });
});

describe('watermark plugin (image.variant)', () => {
  it('leaves visitors with the download right and unlisted sizes on the clean image', async () => {
    const hooks = await load({ sizes: ['medium'] });
    expect(await hooks.applyFilter('image.variant', null, request({ canDownload: true }))).toBeNull();
    expect(await hooks.applyFilter('image.variant', null, request({ size: 'thumb' }))).toBeNull();
  });

  it('gives visitors without the right a watermarked variant with a settings-derived key', async () => {
    const hooks = await load();
    const variant = (await hooks.applyFilter('image.variant', null, request()))!;
    expect(variant.key).toBe(variantKey(watermarkOptions.parse({})));
    const out = await variant.transform(grey, request());
    expect((await sharp(out).metadata()).format).toBe('jpeg');
    expect(await difference(grey, out, BOTTOM_RIGHT)).toBeGreaterThan(3);
    expect(await difference(grey, out, TOP_LEFT)).toBeLessThan(1.5);
  });

  it('wraps a variant another plugin chose: both keys, both transforms', async () => {
    const hooks = await load();
    const framed: ImageVariant = { key: 'frame-1', transform: async (input) => sharp(input).extend({ top: 10, bottom: 10, left: 10, right: 10, background: '#000' }).jpeg().toBuffer() };
    const variant = (await hooks.applyFilter('image.variant', framed, request()))!;
    expect(variant.key).toMatch(/^frame-1\.wm-[0-9a-f]{12}$/);
    expect((await sharp(await variant.transform(grey, request())).metadata()).width).toBe(420);
  });
});

describe('WatermarkRenderer', () => {
  const renderer = new WatermarkRenderer();

  it('draws text at the chosen corner, stronger with more opacity, keeping the format', async () => {
    const options = watermarkOptions.parse({ position: 'top-left', opacity: 0.3 });
    const faint = await renderer.apply(grey, 'jpeg', options);
    const strong = await renderer.apply(grey, 'jpeg', { ...options, opacity: 1 });
    expect(await difference(grey, faint, TOP_LEFT)).toBeGreaterThan(1);
    expect(await difference(grey, strong, TOP_LEFT)).toBeGreaterThan(await difference(grey, faint, TOP_LEFT));
    expect(await difference(grey, strong, BOTTOM_RIGHT)).toBeLessThan(1.5);
    const webp = await renderer.apply(await sharp(grey).webp().toBuffer(), 'webp', options);
    expect((await sharp(webp).metadata()).format).toBe('webp');
  });

  it('draws an image mark (PNG) scaled to the image', async () => {
    const mark = join(dir, 'mark.png');
    writeFileSync(mark, await sharp({ create: { width: 200, height: 100, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 1 } } }).png().toBuffer());
    const out = await renderer.apply(grey, 'jpeg', watermarkOptions.parse({ mode: 'image', image: mark, opacity: 1, scale: 0.25, margin: 0 }));
    const pixel = await sharp(out).extract({ left: 380, top: 280, width: 1, height: 1 }).raw().toBuffer();
    expect(pixel[0]).toBeGreaterThan(200);
    expect(pixel[1]).toBeLessThan(60);
    expect(await difference(grey, out, TOP_LEFT)).toBeLessThan(1.5);
  });

  it('refuses a mark that is not PNG or WebP', async () => {
    const jpeg = join(dir, 'mark.jpg');
    writeFileSync(jpeg, grey);
    await expect(renderer.apply(grey, 'jpeg', watermarkOptions.parse({ mode: 'image', image: jpeg }))).rejects.toThrow(/PNG or WebP/);
  });

  it('treats the text as text, not Pango markup', async () => {
    expect(escapeMarkup(`<span size="99999">&x</span>'`)).toBe('&lt;span size=&quot;99999&quot;&gt;&amp;x&lt;/span&gt;&apos;');
    await expect(renderer.apply(grey, 'jpeg', watermarkOptions.parse({ text: '<b>&amp; "co"' }))).resolves.toBeInstanceOf(Buffer);
  });

  it('places marks inside the image for every position', () => {
    expect(place('bottom-right', 400, 300, 100, 30, 10)).toEqual({ left: 290, top: 260 });
    expect(place('center', 400, 300, 100, 30, 10)).toEqual({ left: 150, top: 135 });
    expect(place('top-right', 50, 50, 100, 30, 10)).toEqual({ left: 0, top: 10 });
  });
});
