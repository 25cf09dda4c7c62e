import { targetDimensions } from '../media/derivative.geometry.js';
import type { ImageSize, ImageSizeRegistry } from '../media/image-size.registry.js';
import { PwgNamedArray, type WsStruct, type WsValue } from '../piwigo/index.js';
import { SitePaths } from '../site/site-paths.js';
import { mysqlDatetime } from './ws-format.js';
import type { WsImageRow } from './ws-image.query.js';

/** `ws_std_get_image_xml_attributes()`. */
export const WS_IMAGE_XML_ATTRIBUTES = ['id', 'element_url', 'page_url', 'file', 'width', 'height', 'hit', 'date_available', 'date_creation'];
/** `ws_std_get_category_xml_attributes()`. */
export const WS_CATEGORY_XML_ATTRIBUTES = ['id', 'url', 'nb_images', 'total_nb_images', 'nb_categories', 'date_last', 'max_date_last', 'status'];
/** `ws_std_get_tag_xml_attributes()`. */
export const WS_TAG_XML_ATTRIBUTES = ['id', 'name', 'url_name', 'counter', 'url', 'page_url'];

/** Piwigo's derivative types in its order. */
const PIWIGO_SIZE_ORDER = ['square', 'thumb', '2small', 'xsmall', 'small', 'medium', 'large', 'xlarge', 'xxlarge', '3xlarge', '4xlarge'];

/**
 * Vitrine's URLs in Piwigo's answer shapes: pages of the site (`/albums/12-x`, `/photos/34`) and
 * media (`/media/photos/34/<size>`, every one checking visibility itself), absolute on `PUBLIC_URL`.
 */
export class WsUrls {
  readonly paths: SitePaths;
  private readonly origin: string;

  constructor(publicUrl: string) {
    this.paths = new SitePaths(publicUrl);
    this.origin = new URL(publicUrl).origin;
  }

  album(id: number, slug: string): string {
    return this.origin + this.paths.album(id, slug);
  }
  photo(id: number, albumId?: number): string {
    return this.origin + this.paths.photo(id, albumId);
  }
  media(id: number, size: string): string {
    return this.origin + this.paths.media(id, size);
  }
  tag(slug: string): string {
    return this.origin + this.paths.tag(slug);
  }
}

/** Piwigo's `url_name` of a tag (its `str2url` uses `_` where Vitrine's slugs use `-`). */
export function tagUrlName(slug: string): string {
  return slug.replaceAll('-', '_');
}

/**
 * Shapes photo rows like Piwigo's `ws_std_*` image structs (categories.getImages, tags.getImages,
 * images.getInfo): numbers where Piwigo casts, MySQL datetimes, `derivatives` with the computed
 * size of every type, `categories` (visible albums only). Sizes are resolved once per instance.
 */
export class WsImageShaper {
  private readonly sizes: ImageSize[];

  constructor(
    sizes: ImageSizeRegistry,
    readonly urls: WsUrls,
  ) {
    const all = sizes.all();
    // Piwigo's types only (clients know these; golden 25/30): sizes themes add (hd, uhd…) are Vitrine's.
    const names = PIWIGO_SIZE_ORDER.filter((n) => Object.hasOwn(all, n));
    this.sizes = names.map((n) => all[n]!);
  }

  /**
   * The derivatives struct: `{ square: { url, width, height }, … }` (null sizes when the original's
   * size is unknown). A disabled size (Piwigo's 3xlarge/4xlarge) answers with the URL and size of the
   * largest enabled one, as Piwigo does (golden 25).
   */
  derivatives(row: Pick<WsImageRow, 'id' | 'width' | 'height'>): WsStruct {
    const out: Record<string, WsValue> = {};
    const largest = this.sizes.filter((s) => s.enabled && !s.crop).sort((a, b) => b.width * b.height - a.width * a.height)[0];
    for (const wanted of this.sizes) {
      const size = wanted.enabled || !largest ? wanted : largest;
      const dims = row.width && row.height ? targetDimensions({ width: row.width, height: row.height }, size) : null;
      out[wanted.name] = { url: this.urls.media(row.id, size.name), width: dims?.width ?? null, height: dims?.height ?? null };
    }
    return out;
  }

  /** The common image struct (`ws_std_get_urls` + the listed columns), `categories` as given. */
  image(row: WsImageRow, albums: ReadonlyArray<{ id: number; slug: string }>): WsStruct {
    return {
      is_favorite: false,
      id: row.id,
      width: row.width,
      height: row.height,
      hit: 0,
      file: row.original_name,
      name: row.title,
      comment: row.description,
      date_creation: mysqlDatetime(row.taken_at),
      date_available: mysqlDatetime(row.created_at),
      page_url: this.urls.photo(row.id),
      element_url: this.urls.media(row.id, 'original'),
      download_url: `${this.urls.media(row.id, 'original')}?download=1`,
      derivatives: this.derivatives(row),
      categories: new PwgNamedArray(
        albums.map((a) => ({ id: a.id, url: this.urls.album(a.id, a.slug), page_url: this.urls.photo(row.id, a.id) })),
        'category',
        ['id', 'url', 'page_url'],
      ),
    };
  }
}
