import type { ActorRef, AlbumRef, PluginContext } from '../../../src/plugins/index.js';
import { frame, type GraticuleLine } from './map.projection.js';
import type { MapOptions } from './map.settings.js';

/** One photo on the map. Text fields are raw; the template escapes them. */
export interface MapPoint {
  id: number;
  title: string;
  url: string;
  thumbnail: string;
  lat: number;
  lon: number;
  /** Position in the view box. */
  x: number;
  y: number;
}

/** What the `map/map` template receives as `data`. */
export interface MapPageData {
  title: string;
  album: { id: number; name: string; url: string } | null;
  /** True for guests when locations are for signed-in visitors only (no point is computed). */
  signInRequired: boolean;
  points: MapPoint[];
  /** More photos had a location than `limit`: the newest are shown. */
  truncated: boolean;
  view: { width: number; height: number; graticule: GraticuleLine[]; tiles: Array<{ href: string; left: number; top: number; size: number }> };
  attribution: string | null;
  globalUrl: string;
}

/** Whether the actor is a signed-in user (guests and share-link visitors are not). */
export function signedIn(actor: ActorRef): boolean {
  return actor.userId !== null;
}

/**
 * The map of the photos `actor` may see, of one album (and its sub-albums) or of the whole
 * gallery. Locations come from `photos.locations`, which applies the visitor's visibility (albums,
 * grants, share links, privacy level); guests see none unless `guestLocations` is on.
 */
export async function mapPage(ctx: PluginContext<MapOptions>, actor: ActorRef, album: AlbumRef | null): Promise<MapPageData> {
  const options = ctx.options;
  const allowed = signedIn(actor) || options.guestLocations;
  const found = allowed ? await ctx.services.photos.locations({ albumId: album?.id, recursive: true, limit: options.limit + 1 }, actor) : [];
  const shown = found.slice(0, options.limit);
  const factor = 10 ** options.precision;
  const rounded = shown.map((l) => ({ l, lat: Math.round(l.latitude * factor) / factor, lon: Math.round(l.longitude * factor) / factor }));
  const view = frame(rounded.map(({ lat, lon }) => ({ lat, lon })));
  const points: MapPoint[] = rounded.map(({ l, lat, lon }) => ({
    id: l.photo.id,
    title: l.photo.title ?? l.photo.originalName,
    url: album ? `/photos/${l.photo.id}?album=${album.id}` : `/photos/${l.photo.id}`,
    thumbnail: ctx.services.media.imageUrl(l.photo.id, 'thumb'),
    lat,
    lon,
    ...view.project({ lat, lon }),
  }));
  const tiles = options.tiles && points.length > 0
    ? view.tiles(options.tiles.maxZoom).map((t) => ({ href: `/api/v1/plugins/map/tiles/${t.z}/${t.x}/${t.y}`, left: t.left, top: t.top, size: t.size }))
    : [];
  return {
    title: album ? `Map: ${album.name}` : 'Map',
    album: album ? { id: album.id, name: album.name, url: `/albums/${album.id}-${album.slug}` } : null,
    signInRequired: !allowed,
    points,
    truncated: found.length > options.limit,
    view: { width: view.width, height: view.height, graticule: view.graticule, tiles },
    attribution: tiles.length > 0 ? (options.tiles?.attribution ?? null) : null,
    globalUrl: '/map',
  };
}
