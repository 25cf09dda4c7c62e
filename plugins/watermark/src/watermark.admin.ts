import sharp from 'sharp';
import type { AdminPageRequest, PluginContext } from '../../../src/plugins/index.js';
import type { WatermarkRenderer } from './watermark.renderer.js';
import { DEFAULT_SIZES, POSITIONS, type WatermarkOptions } from './watermark.settings.js';

/** Sizes offered as checkboxes when the registry knows none (core's names). */
const CORE_SIZES = ['square', 'thumb', '2small', 'xsmall', 'small', 'medium', 'large', 'xlarge', 'xxlarge', '3xlarge', '4xlarge'];

/** Form fields (strings) to settings candidates; the options schema decides what is valid. */
export function settingsFromForm(body: Record<string, string | string[]>): Record<string, unknown> {
  const one = (key: string) => (Array.isArray(body[key]) ? body[key][0] : body[key]);
  const num = (key: string) => {
    const v = one(key);
    return v === undefined || v.trim() === '' ? undefined : Number(v);
  };
  const sizes = body.sizes === undefined ? [] : [body.sizes].flat();
  const image = one('image')?.trim();
  return {
    mode: one('mode'),
    text: one('text'),
    color: one('color'),
    ...(image ? { image } : {}),
    opacity: num('opacity'),
    position: one('position'),
    scale: num('scale'),
    margin: num('margin'),
    sizes,
  };
}

let sample: Promise<Buffer> | undefined;

/** A 480×320 gradient to preview the watermark on. */
function sampleImage(): Promise<Buffer> {
  sample ??= (async () => {
    const width = 480;
    const height = 320;
    const pixels = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        pixels[i] = 60 + Math.round((x / width) * 140);
        pixels[i + 1] = 90 + Math.round((y / height) * 100);
        pixels[i + 2] = 150;
      }
    }
    return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
  })();
  return sample;
}

/**
 * The watermark's admin page (`/admin/plugins/watermark/settings`): a form over the settings (POST
 * saves them through `ctx.services.settings`, applied at once) and a preview of the mark on a
 * sample image.
 */
export async function settingsPage(req: AdminPageRequest, ctx: PluginContext<WatermarkOptions>, renderer: WatermarkRenderer) {
  let notice: string | null = null;
  const errors: string[] = [];
  if (req.method === 'POST') {
    try {
      await ctx.services.settings.update(settingsFromForm(req.body ?? {}), req.actor);
      notice = 'Settings saved. Watermarked images are rebuilt with them as visitors ask for them.';
    } catch (error) {
      const fields = (error as { fields?: Array<{ path: string; message: string }> }).fields;
      if (fields?.length) errors.push(...fields.map((f) => `${f.path || 'settings'}: ${f.message}`));
      else errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  const options = ctx.options;
  const known = ctx.registries.keys('imageSize').map((k) => k.key);
  const names = [...new Set([...(known.length ? known : CORE_SIZES), ...options.sizes])];
  let preview: string | null = null;
  let previewError: string | null = null;
  try {
    const marked = await renderer.apply(await sampleImage(), 'jpeg', options);
    preview = `data:image/jpeg;base64,${marked.toString('base64')}`;
  } catch (error) {
    previewError = error instanceof Error ? error.message : String(error);
  }
  return {
    notice,
    errors,
    options: { ...options, image: options.image ?? '' },
    modes: [
      { value: 'text', label: 'Text', selected: options.mode === 'text' },
      { value: 'image', label: 'Image', selected: options.mode === 'image' },
    ],
    positions: POSITIONS.map((value) => ({ value, selected: value === options.position })),
    sizes: names.map((value) => ({ value, checked: options.sizes.includes(value) })),
    defaults: DEFAULT_SIZES,
    preview,
    previewError,
  };
}
