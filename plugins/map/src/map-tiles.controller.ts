import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Controller, Get, Inject, Injectable, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../../../src/access/policies.decorator.js';
import { VitrineError } from '../../../src/common/errors.js';
import { PLUGIN_CONTEXT, type PluginContext } from '../../../src/plugins/index.js';
import type { MapOptions } from './map.settings.js';

/** Largest tile accepted from the tile server. */
export const MAX_TILE_BYTES = 512 * 1024;
const FETCH_TIMEOUT_MS = 10_000;
const TILE_TYPES: Readonly<Record<string, string>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

function notFound(): VitrineError {
  return new VitrineError('not_found', 'map.tile_not_found', 'This map tile does not exist.');
}

/**
 * Background tiles for maps, fetched from the configured tile server by Vitrine (never by the
 * visitor's browser) and cached in the plugin's private folder, one fetch per tile at a time.
 */
@Injectable()
export class MapTileService {
  private readonly inFlight = new Map<string, Promise<{ bytes: Buffer; type: string }>>();
  /** The network (tests replace it). */
  fetcher: typeof fetch = (input, init) => fetch(input, init);

  constructor(@Inject(PLUGIN_CONTEXT) private readonly ctx: PluginContext<MapOptions>) {}

  /** @throws VitrineError `map.tile_not_found` (404): no tile server, coordinates out of range, or the server failed. */
  async tile(zRaw: string, xRaw: string, yRaw: string): Promise<{ bytes: Buffer; type: string }> {
    const tiles = this.ctx.options.tiles;
    const [z, x, y] = [zRaw, xRaw, yRaw].map((v) => (/^\d{1,7}$/.test(v) ? Number(v) : NaN)) as [number, number, number];
    if (!tiles || !(z <= tiles.maxZoom) || !(x < 2 ** z) || !(y < 2 ** z)) throw notFound();
    const key = `${z}/${x}/${y}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const work = this.load(tiles.url, z, x, y).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  private async load(template: string, z: number, x: number, y: number): Promise<{ bytes: Buffer; type: string }> {
    const dir = join(await this.ctx.services.media.privateDir(), 'tiles', String(z), String(x));
    for (const [type, ext] of Object.entries(TILE_TYPES)) {
      const cached = await readFile(join(dir, `${y}.${ext}`)).catch(() => undefined);
      if (cached) return { bytes: cached, type };
    }
    const url = template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
    let res: globalThis.Response;
    try {
      res = await this.fetcher(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { 'User-Agent': `Vitrine map plugin (${this.ctx.coreVersion})` }, redirect: 'error' });
    } catch (error) {
      this.ctx.log.warn(`tile ${z}/${x}/${y} could not be fetched: ${error instanceof Error ? error.message : String(error)}`);
      throw notFound();
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const length = Number(res.headers.get('content-length') ?? 0);
    if (!res.ok || !TILE_TYPES[type] || length > MAX_TILE_BYTES) throw notFound();
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length === 0 || bytes.length > MAX_TILE_BYTES) throw notFound();
    const file = join(dir, `${y}.${TILE_TYPES[type]}`);
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, file);
    return { bytes, type };
  }
}

/** `GET /api/v1/plugins/map/tiles/:z/:x/:y`: a cached background tile (public, like the map). */
@Controller('tiles')
export class MapTilesController {
  constructor(@Inject(MapTileService) private readonly tiles: MapTileService) {}

  @Get(':z/:x/:y')
  @Public()
  async tile(@Param('z') z: string, @Param('x') x: string, @Param('y') y: string, @Res() res: Response): Promise<void> {
    const { bytes, type } = await this.tiles.tile(z, x, y);
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', 'public, max-age=604800');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.status(200).end(bytes);
  }
}
