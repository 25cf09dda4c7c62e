import type { ImageSize } from './image-size.registry.js';

/** Output pixel dimensions. */
export interface Dimensions {
  width: number;
  height: number;
}

/**
 * The size of `size` built from a source of `source` pixels (after EXIF orientation):
 * - fit sizes: the largest box-fitting size with the source's aspect ratio, never larger than the
 *   source (no enlargement); each side at least 1 px;
 * - crop sizes: a centred crop at the box's aspect ratio, scaled down to the box when the source
 *   is large enough, otherwise the largest such crop the source allows.
 */
export function targetDimensions(source: Dimensions, size: Pick<ImageSize, 'width' | 'height' | 'crop'>): Dimensions {
  if (size.crop) {
    const scale = Math.min(1, Math.max(size.width / source.width, size.height / source.height));
    // Largest crop of the box's aspect inside the source, then scaled (never up).
    const cropScale = Math.min(source.width / size.width, source.height / size.height);
    if (scale < 1 || cropScale >= 1) return { width: size.width, height: size.height };
    return { width: Math.max(1, Math.floor(size.width * cropScale)), height: Math.max(1, Math.floor(size.height * cropScale)) };
  }
  const scale = Math.min(1, size.width / source.width, size.height / source.height);
  return {
    width: Math.max(1, Math.round(source.width * scale)),
    height: Math.max(1, Math.round(source.height * scale)),
  };
}

/**
 * The smallest intermediate (same aspect as the source) from which every size can be built
 * without enlarging: the decode-once pipeline decodes straight to this size (JPEG and WebP
 * shrink on load), then builds each size from it.
 */
export function intermediateDimensions(source: Dimensions, sizes: ReadonlyArray<Pick<ImageSize, 'width' | 'height' | 'crop'>>): Dimensions {
  let scale = 0;
  for (const size of sizes) {
    const target = targetDimensions(source, size);
    scale = Math.max(scale, target.width / source.width, target.height / source.height);
  }
  scale = Math.min(1, scale);
  return {
    width: Math.min(source.width, Math.max(1, Math.ceil(source.width * scale))),
    height: Math.min(source.height, Math.max(1, Math.ceil(source.height * scale))),
  };
}
