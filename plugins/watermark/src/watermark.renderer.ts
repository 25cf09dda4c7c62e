import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import type { WatermarkOptions, WatermarkPosition } from './watermark.settings.js';

/** Largest watermark image accepted (pixels), against a huge file configured by mistake. */
export const MAX_MARK_PIXELS = 16_000_000;
const ENCODE = {
  jpeg: (s: Sharp) => s.jpeg({ quality: 82, progressive: true }),
  webp: (s: Sharp) => s.webp({ quality: 80 }),
  avif: (s: Sharp) => s.avif({ quality: 55 }),
} as const;
export type EncodedFormat = keyof typeof ENCODE;

/** A rendered mark (RGBA PNG), ready to composite. */
interface Mark {
  input: Buffer;
  width: number;
  height: number;
}

/**
 * Draws watermarks with sharp: the mark (text through Pango, or a PNG/WebP file) is rendered
 * once per target width and kept in a small cache, then composited over the clean derivative at
 * the configured corner, with the configured opacity, and re-encoded in the same format.
 */
export class WatermarkRenderer {
  private readonly marks = new Map<string, Promise<Mark>>();

  constructor(private readonly maxCached = 64) {}

  /** The watermarked image, in `format`. */
  async apply(input: Buffer, format: EncodedFormat, options: WatermarkOptions): Promise<Buffer> {
    const meta = await sharp(input).metadata();
    const width = meta.width ?? 0;
    const height = meta.height ?? 0;
    if (width < 16 || height < 16) return input; // nothing readable fits
    const markWidth = Math.max(8, Math.round(width * options.scale));
    const mark = await this.mark(options, Math.min(markWidth, width), Math.min(Math.round(markWidth / 3), height));
    const margin = Math.round(Math.min(width, height) * options.margin);
    const { left, top } = place(options.position, width, height, mark.width, mark.height, margin);
    const layers: OverlayOptions[] = [];
    if (options.mode === 'text') {
      // A soft dark copy one step down-right keeps light text readable on light photos.
      const offset = Math.max(1, Math.round(mark.height / 24));
      const shadow = await sharp(mark.input).linear([0, 0, 0, 0.6], [0, 0, 0, 0]).png().toBuffer();
      layers.push({ input: shadow, left: Math.min(left + offset, width - mark.width), top: Math.min(top + offset, height - mark.height) });
    }
    layers.push({ input: mark.input, left, top });
    return ENCODE[format](sharp(input).composite(layers).keepIccProfile()).toBuffer();
  }

  private mark(options: WatermarkOptions, maxWidth: number, maxHeight: number): Promise<Mark> {
    const key = JSON.stringify([options.mode, options.text, options.color, options.image, options.opacity, maxWidth, maxHeight]);
    let found = this.marks.get(key);
    if (!found) {
      found = (options.mode === 'image' ? imageMark(options, maxWidth) : textMark(options, maxWidth, maxHeight)).catch((error: unknown) => {
        this.marks.delete(key);
        throw error;
      });
      if (this.marks.size >= this.maxCached) this.marks.delete(this.marks.keys().next().value!);
      this.marks.set(key, found);
    }
    return found;
  }

  /** Forgets rendered marks (after a settings change, or to free memory). */
  clear(): void {
    this.marks.clear();
  }
}

async function textMark(options: WatermarkOptions, maxWidth: number, maxHeight: number): Promise<Mark> {
  const markup = `<span foreground="${options.color}">${escapeMarkup(options.text)}</span>`;
  const text = sharp({ text: { text: markup, font: 'sans bold', width: maxWidth, height: Math.max(8, maxHeight), rgba: true, align: 'centre' } });
  return withOpacity(text, options.opacity);
}

async function imageMark(options: WatermarkOptions, maxWidth: number): Promise<Mark> {
  const file = sharp(options.image!, { limitInputPixels: MAX_MARK_PIXELS, failOn: 'error' });
  const meta = await file.metadata();
  if (meta.format !== 'png' && meta.format !== 'webp') throw new Error(`The watermark image must be a PNG or WebP file; ${options.image} is ${meta.format ?? 'unknown'}.`);
  return withOpacity(file.resize({ width: maxWidth, withoutEnlargement: false }).ensureAlpha(), options.opacity);
}

async function withOpacity(image: Sharp, opacity: number): Promise<Mark> {
  const { data, info } = await image.ensureAlpha().linear([1, 1, 1, opacity], [0, 0, 0, 0]).png().toBuffer({ resolveWithObject: true });
  return { input: data, width: info.width, height: info.height };
}

/** Top-left corner of a `w`×`h` mark in a `W`×`H` image. */
export function place(position: WatermarkPosition, W: number, H: number, w: number, h: number, margin: number): { left: number; top: number } {
  const clampX = (x: number) => Math.max(0, Math.min(W - w, x));
  const clampY = (y: number) => Math.max(0, Math.min(H - h, y));
  switch (position) {
    case 'center':
      return { left: clampX(Math.round((W - w) / 2)), top: clampY(Math.round((H - h) / 2)) };
    case 'top-left':
      return { left: clampX(margin), top: clampY(margin) };
    case 'top-right':
      return { left: clampX(W - w - margin), top: clampY(margin) };
    case 'bottom-left':
      return { left: clampX(margin), top: clampY(H - h - margin) };
    case 'bottom-right':
      return { left: clampX(W - w - margin), top: clampY(H - h - margin) };
  }
}

/** Pango markup is XML: the user's text must not open tags or entities. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
