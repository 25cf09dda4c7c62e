import { targetDimensions } from '../media/derivative.geometry.js';
import { ImageSizeRegistry, type ImageSize } from '../media/image-size.registry.js';
import { photoAlt } from '../themes/photo-metadata.format.js';
import type { Theme } from '../themes/theme.loader.js';
import type { ImageSizesView, PhotoCardView } from '../themes/theme-view.types.js';
import type { SitePaths } from './site-paths.js';

/** The photo columns every grid needs (see `PHOTO_CARD_COLUMNS`). */
export interface PhotoCardRow {
  id: number;
  title: string | null;
  description: string | null;
  width: number | null;
  height: number | null;
  blur_placeholder: string | null;
  taken_at: Date | string | null;
}

/** SELECT list for {@link PhotoCardRow} on a photos alias. */
export const photoCardColumns = (a: string) =>
  `${a}.id, ${a}.title, ${a}.description, ${a}.width, ${a}.height, ${a}.blur_placeholder, ${a}.taken_at`;

/** ISO 8601 text of a timestamp column, or null. */
export function isoDate(value: Date | string | null | undefined): string | null {
  if (value == null) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * The sizes offered to themes. The active theme's `config.image_sizes` are registered in the
 * process-wide {@link ImageSizeRegistry} the first time the theme renders (built on demand, never
 * eager), so that the media route serves exactly the URLs pages link to. A size name the registry
 * already has keeps its definition. Cached per theme.
 */
export class SiteImageSizes {
  private readonly byTheme = new WeakMap<Theme, ImageSize[]>();

  constructor(private readonly registry: ImageSizeRegistry = new ImageSizeRegistry()) {}

  for(theme: Theme): ImageSize[] {
    let sizes = this.byTheme.get(theme);
    if (!sizes) {
      for (const [name, spec] of Object.entries(theme.manifest.config.image_sizes)) {
        if (!this.registry.get(name)) this.registry.register(name, { width: spec.width, height: spec.height, crop: spec.crop ?? false, eager: false });
      }
      sizes = this.registry.list();
      this.byTheme.set(theme, sizes);
    }
    return sizes;
  }
}

/** Turns rows into {@link PhotoCardView}s for one page render. */
export class PhotoCardBuilder {
  constructor(
    private readonly paths: SitePaths,
    private readonly sizes: ImageSize[],
  ) {}

  /** Renditions of a photo with their real dimensions (never enlarged; crops flagged). */
  sizesOf(row: Pick<PhotoCardRow, 'id' | 'width' | 'height'>): ImageSizesView {
    const out: ImageSizesView = {};
    for (const size of this.sizes) {
      const url = this.paths.media(row.id, size.name);
      const dims = row.width && row.height ? targetDimensions({ width: row.width, height: row.height }, size) : { width: size.width, height: size.height };
      out[size.name] = size.crop ? { url, ...dims, crop: true } : { url, ...dims };
    }
    return out;
  }

  /** A grid card; `albumId` keeps the album being browsed in the photo URL (prev/next). */
  card(row: PhotoCardRow, albumId?: number | null): PhotoCardView {
    return {
      id: row.id,
      title: row.title,
      alt: photoAlt(row),
      url: this.paths.photo(row.id, albumId),
      width: row.width ?? 0,
      height: row.height ?? 0,
      sizes: this.sizesOf(row),
      blur: safeBlur(row.blur_placeholder),
      takenAt: isoDate(row.taken_at),
    };
  }
}

/** Only server-made `data:image/...;base64,` URIs reach inline styles. */
export function safeBlur(value: string | null): string | null {
  return value && /^data:image\/(?:webp|jpeg|png|avif);base64,[A-Za-z0-9+/=]+$/.test(value) ? value : null;
}
