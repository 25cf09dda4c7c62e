import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { HookRegistry } from '../../../src/hooks/hook.registry.js';
import type { ActorRef, AlbumRef, PhotoLocation, PluginContext } from '../../../src/plugins/index.js';
import { loadPlugins } from '../../../src/plugins/plugin.loader.js';
import { MapTileService, MAX_TILE_BYTES } from './map-tiles.controller.js';
import { mapPage } from './map.page.js';
import { frame, toGeo, toWorld } from './map.projection.js';
import { mapOptions, type MapOptions } from './map.settings.js';

const pluginsRoot = fileURLToPath(new URL('../../', import.meta.url));
const member: ActorRef = { userId: 3, username: 'mia', role: 'member', via: 'session' };
const guest: ActorRef = { userId: null, username: null, role: 'guest', via: 'session' };
const sharer: ActorRef = { userId: null, username: null, role: 'guest', via: 'shareLink' };
const PARIS = { lat: 48.8584, lon: 2.2945 };
const ROME = { lat: 41.8902, lon: 12.4922 };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function location(id: number, at: { lat: number; lon: number }, title: string | null = `Photo ${id}`): PhotoLocation {
  return { photo: { id, title, originalName: `p${id}.jpg` } as PhotoLocation['photo'], latitude: at.lat, longitude: at.lon };
}

function context(options: Partial<MapOptions>, found: PhotoLocation[]) {
  const locations = vi.fn(async () => found);
  const dir = mkdtempSync(join(tmpdir(), 'map-plugin-'));
  dirs.push(dir);
  const ctx = {
    options: mapOptions.parse(options),
    coreVersion: '0.1.0',
    log: { debug() {}, info() {}, warn() {}, error() {} },
    services: { photos: { locations }, media: { imageUrl: (id: number, size: string) => `/media/photos/${id}/${size}`, privateDir: async () => dir } },
  } as unknown as PluginContext<MapOptions>;
  return { ctx, locations, dir };
}

describe('map projection', () => {
  it('Web Mercator round-trips and clamps the poles', () => {
    const w = toWorld(PARIS);
    expect(toGeo(w).lat).toBeCloseTo(PARIS.lat, 9);
    expect(toGeo(w).lon).toBeCloseTo(PARIS.lon, 9);
    expect(toWorld({ lat: 0, lon: 0 })).toEqual({ x: 0.5, y: 0.5 });
    expect(toWorld({ lat: 90, lon: 0 }).y).toBeCloseTo(0, 6);
  });

  it('frames points inside the view box with a margin, at one scale on both axes', () => {
    const view = frame([PARIS, ROME]);
    const [p, r] = [view.project(PARIS), view.project(ROME)];
    for (const q of [p, r]) {
      expect(q.x).toBeGreaterThan(view.width * 0.05);
      expect(q.x).toBeLessThan(view.width * 0.95);
      expect(q.y).toBeGreaterThan(0);
      expect(q.y).toBeLessThan(view.height);
    }
    expect(r.x).toBeGreaterThan(p.x); // Rome is east of Paris
    expect(r.y).toBeGreaterThan(p.y); // and south
    const [wp, wr] = [toWorld(PARIS), toWorld(ROME)];
    expect((r.x - p.x) / (r.y - p.y)).toBeCloseTo((wr.x - wp.x) / (wr.y - wp.y), 2);
    expect(view.graticule.map((g) => g.label)).toEqual(['0°', '5°E', '10°E', '15°E', '42°N', '44°N', '46°N', '48°N']);
  });

  it('centres a single point at a bounded zoom, and shows the world when there is none', () => {
    const one = frame([PARIS]);
    const p = one.project(PARIS);
    expect(p.x).toBeCloseTo(one.width / 2, 0);
    expect(p.y).toBeCloseTo(one.height / 2, 0);
    expect(one.zoom).toBeLessThanOrEqual(19);
    const world = frame([]);
    expect(world.world.x0).toBeLessThanOrEqual(0);
    expect(world.zoom).toBeLessThanOrEqual(2);
  });

  it('lists the tiles covering the frame, placed edge to edge', () => {
    const view = frame([PARIS, ROME]);
    const tiles = view.tiles();
    expect(tiles.length).toBeGreaterThan(0);
    expect(new Set(tiles.map((t) => t.z))).toEqual(new Set([view.zoom]));
    const xs = [...new Set(tiles.map((t) => t.left))].sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeCloseTo(tiles[0]!.size, 0);
    expect(Math.min(...tiles.map((t) => t.left))).toBeLessThanOrEqual(0);
    expect(Math.max(...tiles.map((t) => t.left + t.size))).toBeGreaterThanOrEqual(view.width);
  });
});

describe('map settings', () => {
  it('default to no network and locations for signed-in visitors only', () => {
    expect(mapOptions.parse({})).toEqual({ guestLocations: false, precision: 4, limit: 2000, tiles: null });
  });

  it('accept a tile URL template with {z}, {x}, {y}; refuse anything else', () => {
    expect(mapOptions.safeParse({ tiles: { url: 'https://tile.example.org/{z}/{x}/{y}.png' } }).success).toBe(true);
    for (const url of ['https://tile.example.org/tiles.png', 'ftp://x/{z}/{x}/{y}', 'https://x/{z}/{x}.png', 'javascript:{z}{x}{y}']) {
      expect(mapOptions.safeParse({ tiles: { url } }).success, url).toBe(false);
    }
  });
});

describe('mapPage', () => {
  it('asks for the visitor\'s visible locations and draws them, linked to their photo pages', async () => {
    const { ctx, locations } = context({}, [location(2, ROME), location(1, PARIS, null)]);
    const page = await mapPage(ctx, member, null);
    expect(locations).toHaveBeenCalledWith({ albumId: undefined, recursive: true, limit: 2001 }, member);
    expect(page).toMatchObject({ title: 'Map', album: null, signInRequired: false, truncated: false });
    expect(page.points.map((p) => [p.id, p.title, p.url, p.thumbnail, p.lat, p.lon])).toEqual([
      [2, 'Photo 2', '/photos/2', '/media/photos/2/thumb', 41.8902, 12.4922],
      [1, 'p1.jpg', '/photos/1', '/media/photos/1/thumb', 48.8584, 2.2945],
    ]);
    expect(page.view.tiles).toEqual([]);
  });

  it('for an album, asks for its subtree and links photos in that album', async () => {
    const album = { id: 7, name: 'Italy', slug: 'italy' } as AlbumRef;
    const { ctx, locations } = context({}, [location(2, ROME)]);
    const page = await mapPage(ctx, member, album);
    expect(locations).toHaveBeenCalledWith({ albumId: 7, recursive: true, limit: 2001 }, member);
    expect(page.title).toBe('Map: Italy');
    expect(page.album).toEqual({ id: 7, name: 'Italy', url: '/albums/7-italy' });
    expect(page.points[0]!.url).toBe('/photos/2?album=7');
  });

  it('guests and share-link visitors get no locations (not even a query) unless the admin allows it', async () => {
    for (const actor of [guest, sharer]) {
      const { ctx, locations } = context({}, [location(1, PARIS)]);
      const page = await mapPage(ctx, actor, null);
      expect(page.signInRequired).toBe(true);
      expect(page.points).toEqual([]);
      expect(locations).not.toHaveBeenCalled();
    }
    const { ctx, locations } = context({ guestLocations: true }, [location(1, PARIS)]);
    expect((await mapPage(ctx, guest, null)).points).toHaveLength(1);
    expect(locations).toHaveBeenCalledWith(expect.anything(), guest);
  });

  it('rounds coordinates to the configured precision and reports truncation', async () => {
    const { ctx } = context({ precision: 2, limit: 1 }, [location(1, PARIS), location(2, ROME)]);
    const page = await mapPage(ctx, member, null);
    expect(page.points.map((p) => [p.lat, p.lon])).toEqual([[48.86, 2.29]]);
    expect(page.truncated).toBe(true);
  });

  it('with a tile server, points at the plugin\'s own tile route (same origin) with the attribution', async () => {
    const { ctx } = context({ tiles: { url: 'https://t.example/{z}/{x}/{y}.png', attribution: '© OSM', maxZoom: 17 } }, [location(1, PARIS), location(2, ROME)]);
    const page = await mapPage(ctx, member, null);
    expect(page.view.tiles.length).toBeGreaterThan(0);
    expect(page.view.tiles.every((t) => /^\/api\/v1\/plugins\/map\/tiles\/\d+\/\d+\/\d+$/.test(t.href))).toBe(true);
    expect(page.attribution).toBe('© OSM');
  });
});

describe('MapTileService', () => {
  const png = Buffer.from('89504e470d0a1a0a0000', 'hex');
  const reply = (body: Buffer, type = 'image/png', status = 200) => new Response(body, { status, headers: { 'content-type': type } });

  function service(options: Partial<MapOptions> = { tiles: { url: 'https://t.example/{z}/{x}/{y}.png', attribution: '', maxZoom: 5 } }) {
    const { ctx, dir } = context(options, []);
    const tiles = new MapTileService(ctx);
    const fetcher = vi.fn(async (_url: string, _init?: RequestInit) => reply(png));
    tiles.fetcher = fetcher as unknown as typeof fetch;
    return { tiles, fetcher, dir };
  }

  it('fetches a tile once from the configured server and serves it from the cache afterwards', async () => {
    const { tiles, fetcher } = service();
    expect(await tiles.tile('3', '4', '2')).toEqual({ bytes: png, type: 'image/png' });
    expect(await tiles.tile('3', '4', '2')).toEqual({ bytes: png, type: 'image/png' });
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(fetcher.mock.calls[0]![0]).toBe('https://t.example/3/4/2.png');
  });

  it('answers 404 without a tile server, for coordinates out of range, and when the server misbehaves', async () => {
    await expect(service({}).tiles.tile('1', '0', '0')).rejects.toMatchObject({ code: 'map.tile_not_found' });
    const { tiles, fetcher } = service();
    for (const [z, x, y] of [['6', '0', '0'], ['2', '4', '0'], ['2', '0', '-1'], ['x', '0', '0']]) {
      await expect(tiles.tile(z!, x!, y!)).rejects.toMatchObject({ code: 'map.tile_not_found' });
    }
    expect(fetcher).not.toHaveBeenCalled();
    fetcher.mockResolvedValueOnce(reply(Buffer.from('<html>'), 'text/html'));
    await expect(tiles.tile('1', '0', '0')).rejects.toMatchObject({ code: 'map.tile_not_found' });
    fetcher.mockResolvedValueOnce(reply(Buffer.alloc(MAX_TILE_BYTES + 1)));
    await expect(tiles.tile('1', '0', '1')).rejects.toMatchObject({ code: 'map.tile_not_found' });
    fetcher.mockResolvedValueOnce(reply(png, 'image/png', 500));
    await expect(tiles.tile('1', '1', '1')).rejects.toMatchObject({ code: 'map.tile_not_found' });
    fetcher.mockRejectedValueOnce(new Error('offline'));
    await expect(tiles.tile('1', '1', '0')).rejects.toMatchObject({ code: 'map.tile_not_found' });
  });
});

describe('map plugin', () => {
  it('loads with its routes, template, tile controller and album view-model link', async () => {
    const hooks = new HookRegistry();
    const { registry } = await loadPlugins({ roots: [pluginsRoot], coreVersion: '0.1.0', hooks, isEnabled: (n) => n === 'map' });
    expect(registry.get('route', '/map')?.owner).toBe('map');
    expect(registry.get('route', '/map/albums/:id')?.owner).toBe('map');
    expect(registry.get('template', 'map/map')).toBeDefined();
    expect(registry.get('apiRoute', 'GET /api/v1/plugins/map/tiles/:z/:x/:y')).toBeDefined();
    const view = await hooks.applyFilter('album.viewModel', { album: { id: 4 }, extensions: {} } as never, { page: 'album' } as never);
    expect(view.extensions).toEqual({ map: { url: '/map/albums/4' } });
  });
});
