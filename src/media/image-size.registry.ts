import { VitrineError } from '../common/errors.js';

/** How one named derivative size is built. */
export interface ImageSizeSpec {
  /** Box width in pixels. */
  width: number;
  /** Box height in pixels. */
  height: number;
  /**
   * `true`: centre-crop to exactly `width × height` (the `square` size); `false`: fit inside the
   * box keeping the aspect ratio. Either way the original is never enlarged.
   */
  crop: boolean;
  /** Built right after ingest from the single decode; other sizes are built on first request. */
  eager: boolean;
  /** Disabled sizes are known (URLs resolve) but not offered; Piwigo's 3xlarge/4xlarge. Default true. */
  enabled?: boolean;
}

/** A registered size: its spec plus its name. */
export interface ImageSize extends Required<ImageSizeSpec> {
  name: string;
}

/** Receives the current sizes and returns the sizes to use (add, remove, change). */
export type ImageSizeFilter = (sizes: Readonly<Record<string, ImageSize>>) => Record<string, ImageSizeSpec>;

/**
 * Piwigo's named sizes (include/derivative_std_params.inc.php). Eager: `square` (album covers,
 * admin grids), `thumb` (album grids) and `medium` (photo page; Piwigo also builds it at upload,
 * and ws.php clients expect it). From one decode the two small ones cost a few milliseconds.
 */
export const PIWIGO_SIZES: Readonly<Record<string, ImageSizeSpec>> = {
  square: { width: 120, height: 120, crop: true, eager: true },
  thumb: { width: 144, height: 144, crop: false, eager: true },
  '2small': { width: 240, height: 240, crop: false, eager: false },
  xsmall: { width: 432, height: 324, crop: false, eager: false },
  small: { width: 576, height: 432, crop: false, eager: false },
  medium: { width: 792, height: 594, crop: false, eager: true },
  large: { width: 1008, height: 756, crop: false, eager: false },
  xlarge: { width: 1224, height: 918, crop: false, eager: false },
  xxlarge: { width: 1656, height: 1242, crop: false, eager: false },
  '3xlarge': { width: 2232, height: 1674, crop: false, eager: false, enabled: false },
  '4xlarge': { width: 3000, height: 2250, crop: false, eager: false, enabled: false },
};

/** Size names end up in file names and URLs, so they are short and plain. */
export const SIZE_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const MAX_SIDE = 10_000;

/**
 * The set of named derivative sizes. Themes and plugins add sizes with {@link register}; the
 * `image.sizes` filter hook (DESIGN.md §5) plugs in through {@link applyFilter}. The effective set
 * is recomputed on change and every spec is validated, so a bad plugin fails loudly at boot.
 */
export class ImageSizeRegistry {
  private readonly registered = new Map<string, ImageSize>();
  private readonly filters: ImageSizeFilter[] = [];
  private effective: Readonly<Record<string, ImageSize>> | undefined;

  constructor(defaults: Readonly<Record<string, ImageSizeSpec>> = PIWIGO_SIZES) {
    for (const [name, spec] of Object.entries(defaults)) this.register(name, spec);
  }

  /**
   * Adds a size.
   * @throws VitrineError `image_size.duplicate` (409) when the name exists,
   *   `image_size.invalid` (400) for a bad name or dimensions.
   */
  register(name: string, spec: ImageSizeSpec): void {
    if (this.registered.has(name)) {
      throw new VitrineError('conflict', 'image_size.duplicate', `An image size named "${name}" is already registered.`);
    }
    this.registered.set(name, validate(name, spec));
    this.effective = undefined;
  }

  /**
   * Adds a filter run over the registered sizes, after earlier filters, whenever the effective
   * set is computed. The hook system connects `image.sizes` here.
   */
  applyFilter(filter: ImageSizeFilter): void {
    this.filters.push(filter);
    this.effective = undefined;
  }

  /** Every size after filters, disabled ones included, keyed by name. */
  all(): Readonly<Record<string, ImageSize>> {
    if (!this.effective) {
      let sizes: Record<string, ImageSize> = Object.fromEntries(this.registered);
      // hook: image.sizes — plugins and themes add, remove or resize named sizes here.
      for (const filter of this.filters) {
        const out = filter(Object.freeze({ ...sizes }));
        sizes = Object.fromEntries(Object.entries(out).map(([name, spec]) => [name, validate(name, spec)]));
      }
      this.effective = Object.freeze(sizes);
    }
    return this.effective;
  }

  /** Enabled sizes, smallest box first. */
  list(): ImageSize[] {
    return Object.values(this.all())
      .filter((size) => size.enabled)
      .sort((a, b) => a.width * a.height - b.width * b.height);
  }

  /** Enabled sizes built right after ingest. */
  eager(): ImageSize[] {
    return this.list().filter((size) => size.eager);
  }

  get(name: string): ImageSize | undefined {
    return Object.hasOwn(this.all(), name) ? this.all()[name] : undefined;
  }

  /** @throws VitrineError `image_size.not_found` (404) for unknown names. */
  require(name: string): ImageSize {
    const size = this.get(name);
    if (!size) throw new VitrineError('not_found', 'image_size.not_found', `There is no image size named "${name.slice(0, 40)}".`);
    return size;
  }
}

function validate(name: string, spec: ImageSizeSpec): ImageSize {
  if (!SIZE_NAME.test(name)) {
    throw new VitrineError('invalid', 'image_size.invalid', `"${name.slice(0, 40)}" is not a valid image size name (a-z, 0-9, - and _, up to 32).`);
  }
  for (const side of ['width', 'height'] as const) {
    const value = spec[side];
    if (!Number.isInteger(value) || value < 1 || value > MAX_SIDE) {
      throw new VitrineError('invalid', 'image_size.invalid', `Image size "${name}" needs a ${side} between 1 and ${MAX_SIDE}.`);
    }
  }
  return Object.freeze({ name, width: spec.width, height: spec.height, crop: spec.crop, eager: spec.eager, enabled: spec.enabled ?? true });
}
