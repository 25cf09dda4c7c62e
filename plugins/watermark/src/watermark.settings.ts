import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { z } from '../../../src/plugins/index.js';

export const POSITIONS = ['center', 'top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;
export type WatermarkPosition = (typeof POSITIONS)[number];

/** Sizes watermarked by default: everything shown large; grid thumbnails stay clean. */
export const DEFAULT_SIZES = ['small', 'medium', 'large', 'xlarge', 'xxlarge', '3xlarge', '4xlarge'];

/** The plugin's settings, edited on the admin's plugins page. */
export const watermarkOptions = z
  .strictObject({
    /** `text`: the `text` setting drawn with the system's sans-serif font; `image`: a PNG or WebP file. */
    mode: z.enum(['text', 'image']).default('text'),
    text: z.string().trim().min(1).max(200).default('Preview'),
    /** Text colour, `#rrggbb`. */
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #ffffff').default('#ffffff'),
    /** Absolute path of a PNG or WebP on the server (mode `image`). */
    image: z.string().max(4096).refine(isAbsolute, 'must be an absolute path').optional(),
    /** 0.05 (barely visible) to 1 (opaque). */
    opacity: z.number().min(0.05).max(1).default(0.5),
    position: z.enum(POSITIONS).default('bottom-right'),
    /** Width of the mark as a fraction of the image width. */
    scale: z.number().min(0.05).max(1).default(0.3),
    /** Distance from the edges as a fraction of the shorter side. */
    margin: z.number().min(0).max(0.25).default(0.03),
    /** Size names that get the watermark (for visitors without the download right). */
    sizes: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)).max(64).default(DEFAULT_SIZES),
  })
  .refine((o) => o.mode !== 'image' || o.image !== undefined, { message: 'mode "image" needs the "image" setting (a PNG or WebP path)', path: ['image'] });

export type WatermarkOptions = z.infer<typeof watermarkOptions>;

/**
 * The `image.variant` cache key for these settings (and, in image mode, the mark file's size and
 * modification time): any change gives a new key, so stale watermarked files are never served.
 */
export function variantKey(options: WatermarkOptions, imageStamp = ''): string {
  const canonical = JSON.stringify([options.mode, options.text, options.color.toLowerCase(), options.image ?? '', imageStamp, options.opacity, options.position, options.scale, options.margin]);
  return `wm-${createHash('sha256').update(canonical).digest('hex').slice(0, 12)}`;
}
