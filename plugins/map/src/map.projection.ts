/**
 * A small map renderer with no network and no JavaScript: points are projected with Web
 * Mercator (EPSG:3857, the projection of web map tiles) into an SVG view box framed around
 * them, with a labelled graticule; optionally the tiles covering the frame.
 */

/** Web Mercator's latitude limit. */
export const MAX_LATITUDE = 85.05112878;

export interface GeoPoint {
  lat: number;
  lon: number;
}

/** A point in world coordinates: x and y in [0, 1], origin top-left (180° W, 85° N). */
export interface WorldPoint {
  x: number;
  y: number;
}

export interface GraticuleLine {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** e.g. `45°N`, `2.5°E`. */
  label: string;
  /** Where the label goes. */
  lx: number;
  ly: number;
}

export interface TileRef {
  z: number;
  x: number;
  y: number;
  /** Placement in the view box. */
  left: number;
  top: number;
  size: number;
}

/** The frame of a map: view box size, its world rectangle, and a projection into it. */
export interface MapView {
  width: number;
  height: number;
  graticule: GraticuleLine[];
  /** Tile zoom level that fits the frame. */
  zoom: number;
  /** World rectangle shown. */
  world: { x0: number; y0: number; span: number; spanY: number };
  project(point: GeoPoint): { x: number; y: number };
  tiles(maxZoom?: number): TileRef[];
}

export function toWorld({ lat, lon }: GeoPoint): WorldPoint {
  const phi = (Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat)) * Math.PI) / 180;
  return { x: (lon + 180) / 360, y: (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2 };
}

export function toGeo({ x, y }: WorldPoint): GeoPoint {
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
  return { lat, lon: x * 360 - 180 };
}

const STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 45, 90];

export interface FrameOptions {
  /** View box width; the height follows the points' shape, between `minHeight` and `maxHeight`. */
  width?: number;
  minHeight?: number;
  maxHeight?: number;
  /** Smallest world span shown (about 1.2 km at zoom 15), so one point is not infinitely zoomed. */
  minSpan?: number;
}

/**
 * Frames the points (or the whole world when there are none) with an 8 % margin, in a view box
 * `width` wide, and draws a graticule of 3–8 lines per axis at round steps.
 */
export function frame(points: readonly GeoPoint[], options: FrameOptions = {}): MapView {
  const width = options.width ?? 960;
  const minSpan = options.minSpan ?? 1 / 2 ** 15;
  const world = points.map(toWorld);
  let x0 = 0;
  let x1 = 1;
  let y0 = 0;
  let y1 = 1;
  if (world.length > 0) {
    x0 = Math.min(...world.map((p) => p.x));
    x1 = Math.max(...world.map((p) => p.x));
    y0 = Math.min(...world.map((p) => p.y));
    y1 = Math.max(...world.map((p) => p.y));
    const padX = Math.max((x1 - x0) * 0.08, minSpan / 2);
    const padY = Math.max((y1 - y0) * 0.08, minSpan / 2);
    [x0, x1, y0, y1] = [x0 - padX, x1 + padX, y0 - padY, y1 + padY];
  }
  let span = x1 - x0;
  let spanY = y1 - y0;
  const height = Math.round(Math.min(options.maxHeight ?? 640, Math.max(options.minHeight ?? 320, (width * spanY) / span)));
  // Same scale on both axes: widen whichever span is short for the view box's shape.
  if (span / spanY < width / height) {
    const wanted = (spanY * width) / height;
    x0 -= (wanted - span) / 2;
    span = wanted;
  } else {
    const wanted = (span * height) / width;
    y0 -= (wanted - spanY) / 2;
    spanY = wanted;
  }
  const scale = width / span;
  const project = (p: GeoPoint) => {
    const w = toWorld(p);
    return { x: round((w.x - x0) * scale), y: round((w.y - y0) * scale) };
  };
  const zoom = Math.max(0, Math.min(19, Math.floor(Math.log2(width / (256 * span)))));
  const view: MapView = {
    width,
    height,
    zoom,
    world: { x0, y0, span, spanY },
    project,
    graticule: graticule(x0, y0, span, spanY, scale, width, height),
    tiles: (maxZoom = 19) => tiles(x0, y0, span, spanY, scale, Math.min(zoom, maxZoom)),
  };
  return view;
}

function graticule(x0: number, y0: number, span: number, spanY: number, scale: number, width: number, height: number): GraticuleLine[] {
  const west = toGeo({ x: x0, y: 0 }).lon;
  const east = toGeo({ x: x0 + span, y: 0 }).lon;
  const north = toGeo({ x: 0, y: Math.max(0, y0) }).lat;
  const south = toGeo({ x: 0, y: Math.min(1, y0 + spanY) }).lat;
  const lines: GraticuleLine[] = [];
  const lonStep = step(east - west);
  for (let lon = Math.ceil(west / lonStep) * lonStep; lon <= east; lon += lonStep) {
    const x = round((toWorld({ lat: 0, lon }).x - x0) * scale);
    lines.push({ x1: x, y1: 0, x2: x, y2: height, label: degrees(lon, 'E', 'W'), lx: x + 3, ly: height - 4 });
  }
  const latStep = step(north - south);
  for (let lat = Math.ceil(south / latStep) * latStep; lat <= north; lat += latStep) {
    const y = round((toWorld({ lat, lon: 0 }).y - y0) * scale);
    lines.push({ x1: 0, y1: y, x2: width, y2: y, label: degrees(lat, 'N', 'S'), lx: 3, ly: y - 3 });
  }
  return lines;
}

function tiles(x0: number, y0: number, span: number, spanY: number, scale: number, z: number): TileRef[] {
  const n = 2 ** z;
  const out: TileRef[] = [];
  const size = round(scale / n);
  for (let ty = Math.max(0, Math.floor(y0 * n)); ty <= Math.min(n - 1, Math.floor((y0 + spanY) * n)); ty++) {
    for (let tx = Math.floor(x0 * n); tx <= Math.floor((x0 + span) * n); tx++) {
      const wrapped = ((tx % n) + n) % n;
      out.push({ z, x: wrapped, y: ty, left: round((tx / n - x0) * scale), top: round((ty / n - y0) * scale), size });
    }
  }
  return out.slice(0, 64);
}

/** The smallest round step giving at most 8 lines over `range` degrees. */
function step(range: number): number {
  return STEPS.find((s) => range / s <= 8) ?? 90;
}

function degrees(value: number, positive: string, negative: string): string {
  const v = Math.round(value * 1000) / 1000;
  if (v === 0) return '0°';
  return `${Math.abs(v)}°${v > 0 ? positive : negative}`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
