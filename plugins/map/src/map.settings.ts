import { z } from '../../../src/plugins/index.js';

/** Settings of the map plugin, edited on the admin's plugins page. */
export const mapOptions = z.strictObject({
  /**
   * Show locations to guests and share-link visitors. Off by default, like core's photo pages,
   * which show where a photo was taken to signed-in visitors only.
   */
  guestLocations: z.boolean().default(false),
  /** Decimals of the coordinates written into pages: 4 ≈ 11 m, 3 ≈ 110 m, 2 ≈ 1.1 km. */
  precision: z.number().int().min(1).max(6).default(4),
  /** Most photos on one map (the newest). */
  limit: z.number().int().min(1).max(5000).default(2000),
  /**
   * Background tiles, fetched by the server (never by the visitor's browser, so pages keep their
   * strict CSP and visitors' addresses stay private) and cached below the data directory.
   * `null` (default): points on a plain projection with a graticule, no network at all.
   */
  tiles: z
    .strictObject({
      /** `https://tile.example.org/{z}/{x}/{y}.png`: respect the tile server's usage policy. */
      url: z.string().regex(/^https?:\/\/[^\s{}]+(\{[zxy]\}[^\s{}]*){3}$/, 'must be an http(s) URL with {z}, {x} and {y}').refine((u) => ['{z}', '{x}', '{y}'].every((p) => u.includes(p)), 'must contain {z}, {x} and {y}'),
      attribution: z.string().max(200).default(''),
      maxZoom: z.number().int().min(0).max(19).default(17),
    })
    .nullable()
    .default(null),
});

export type MapOptions = z.infer<typeof mapOptions>;
