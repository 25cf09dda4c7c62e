import { stat } from 'node:fs/promises';
import { definePlugin, type ImageVariant, type PluginContext } from '../../../src/plugins/index.js';
import { settingsPage } from './watermark.admin.js';
import { WatermarkRenderer } from './watermark.renderer.js';
import { variantKey, watermarkOptions, type WatermarkOptions } from './watermark.settings.js';

const renderer = new WatermarkRenderer();
let context: PluginContext<WatermarkOptions> | undefined;
let stamp: { path: string; value: string; at: number } | undefined;

/** Size and mtime of the mark file, re-read at most every 5 s, so replacing the file changes the cache key. */
async function imageStamp(options: WatermarkOptions): Promise<string> {
  if (options.mode !== 'image' || !options.image) return '';
  if (stamp && stamp.path === options.image && Date.now() - stamp.at < 5000) return stamp.value;
  const info = await stat(options.image);
  stamp = { path: options.image, value: `${info.size}:${Math.trunc(info.mtimeMs)}`, at: Date.now() };
  return stamp.value;
}

/**
 * Watermarks the chosen sizes for visitors without the download right. Visitors with the right
 * (who may fetch the original anyway) always get the clean image. Core caches the watermarked
 * variant apart from the clean file, under a key that changes with the settings.
 */
export default definePlugin({
  name: 'watermark',
  description: 'Text or image watermark on chosen sizes for visitors without the download right.',
  options: watermarkOptions,

  views: { templates: 'views/templates' }, // watermark/settings
  adminPages: [{ path: 'settings', title: 'Watermark', template: 'watermark/settings', handler: (req, ctx) => settingsPage(req, ctx, renderer) }],
  adminMenu: [{ label: 'Watermark', page: 'settings', section: 'settings' }],

  // The context of bootstrap is the live one: settings saved in the admin apply at once.
  bootstrap(ctx) {
    context = ctx;
  },

  hooks(h) {
    h.on('image.variant', async (previous, request) => {
      if (!context) throw new Error('watermark: not started yet'); // fail closed: no clean image slips out
      const options = context.options;
      if (request.canDownload || !options.sizes.includes(request.size)) return previous;
      const key = variantKey(options, await imageStamp(options));
      const variant: ImageVariant = {
        key: previous ? `${previous.key}.${key}` : key,
        async transform(input, req) {
          const base = previous ? await previous.transform(input, req) : input;
          return renderer.apply(base, req.format, options);
        },
      };
      return variant;
    });
  },

  destroy() {
    context = undefined;
    renderer.clear();
  },
});
