import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import type { Principal } from '../src/access/principal.js';
import { AlbumService } from '../src/albums/album.service.js';
import { createApp } from '../src/bootstrap/server.js';
import { createLogger } from '../src/common/logger.js';
import { loadConfig } from '../src/config/config.js';
import { PhotoIngestService } from '../src/photos/photo-ingest.service.js';
import { PluginHost } from '../src/plugin-host/plugin-host.js';
import { HookRegistry } from '../src/hooks/hook.registry.js';
import type { AlbumView, PhotoMetadata } from '../src/hooks/hook-payloads.js';
import { openBenchDatabase } from './bench-database.js';

/**
 * `npm run bench:plugins`: the cost of the four bundled plugins. Runs the same work with no plugin
 * enabled and with folder-importer, exif-details, watermark and map enabled, each on a fresh
 * database (PGlite in memory, or a throwaway database on DATABASE_URL's server):
 *
 * - ingest: BENCH_PHOTOS distinct 12 MP-class JPEGs with EXIF through `PhotoIngestService.ingest`
 *   (probe, hooks — exif-details reads EXIF here —, metadata, storage, one transaction), photos/s;
 * - album page: `GET /albums/:id-:slug` of a public album of those photos as a guest, over HTTP with
 *   keep-alive and BENCH_CONCURRENCY requests in flight for BENCH_SECONDS (after a warm-up), req/s.
 *
 * Modes alternate (off, on, off, on, … for BENCH_ROUNDS rounds) so that machine noise hits both;
 * the best round of each mode is compared. Target: on/off ≥ 0.95 for both figures.
 */
const PLUGINS = 'folder-importer,exif-details,watermark,map';
const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 24);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const WIDTH = Number(process.env.BENCH_WIDTH ?? 2400);

interface Figures {
  ingest: number;
  album: number;
  /** Microseconds the enabled plugins' handlers add per ingest (photo.metadata) and per album page (album.viewModel). */
  hooks?: { ingestUs: number; albumUs: number };
}

/** Time per call of a hook, in microseconds, over many calls (machine noise averages out). */
async function perCall(run: () => Promise<unknown>, n = 5000): Promise<number> {
  for (let i = 0; i < 500; i++) await run();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await run();
  return Number(process.hrtime.bigint() - t) / 1e3 / n;
}

/** Distinct noisy JPEGs (realistic decode cost) carrying camera EXIF. */
async function photos(n: number): Promise<Buffer[]> {
  const height = Math.round((WIDTH * 3) / 4);
  const base = await sharp({ create: { width: WIDTH, height, channels: 3, background: '#7a8a99', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).raw().toBuffer();
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    // A different stripe per photo: distinct content hashes survive JPEG quantisation (no dedupe shortcut).
    for (let x = 0; x < WIDTH; x++) base[(i * 8 * WIDTH + x) * 3] = 255;
    out.push(
      await sharp(base, { raw: { width: WIDTH, height, channels: 3 } })
        .jpeg({ quality: 85 })
        .withExif({
          IFD0: { Make: 'SONY', Model: 'ILCE-7M3', Software: 'bench' },
          IFD2: { ExposureProgram: '3', FocalLengthIn35mmFilm: '52', MeteringMode: '5', Flash: '16', WhiteBalance: '0', LensMake: 'Sony' },
        })
        .toBuffer(),
    );
  }
  return out;
}

async function runMode(enabled: boolean, files: Buffer[]): Promise<Figures> {
  const db = await openBenchDatabase(enabled ? 'plugins_on' : 'plugins_off');
  const dataDir = mkdtempSync(join(tmpdir(), 'vitrine-bench-plugins-'));
  process.env.VITRINE_JOBS_POLL = 'off'; // derivative jobs stay queued: only ingest and pages are timed
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PLUGINS_ENABLE: enabled ? PLUGINS : '' });
  const app = await createApp(config, db.ds, createLogger('silent'));
  await app.listen(0, '127.0.0.1');
  try {
    const [{ id: userId }] = await db.ds.query(`INSERT INTO users (username, role, privacy_level) VALUES ('bench', 'admin', 8) RETURNING id`);
    const admin: Principal = { kind: 'user', userId, username: 'bench', role: 'admin', privacyLevel: 8 };
    const album = await app.get(AlbumService).create({ name: 'Bench album' });
    const ingest = app.get(PhotoIngestService);

    const t0 = process.hrtime.bigint();
    for (const [i, bytes] of files.entries()) {
      await ingest.ingest({ source: { stream: Readable.from([bytes]) }, originalName: `p${i}.jpg`, albumIds: [album.id], principal: admin });
    }
    const ingestSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    // Sanity: the plugins really ran (exif-details stored its fields on every photo).
    const loaded = app.get(PluginHost).loaded.map((p) => p.name).sort().join(',');
    const [{ n }] = await db.ds.query(`SELECT count(*)::int AS n FROM photos WHERE plugin_data ? 'exif-details'`);
    if (loaded !== (enabled ? PLUGINS.split(',').sort().join(',') : '')) throw new Error(`plugins ${enabled ? 'on' : 'off'}: loaded [${loaded}]`);
    const [{ photos }] = await db.ds.query(`SELECT count(*)::int AS photos FROM photos`);
    if (photos !== files.length) throw new Error(`${photos} photos stored for ${files.length} files (duplicates?)`);
    if (enabled && n !== files.length) console.log(`  note: exif-details stored its fields on ${n} of ${files.length} photos`);

    const port = (app.getHttpServer().address() as AddressInfo).port;
    const path = `/albums/${album.id}-${album.slug}`;
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const get = () =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
    const status = await get();
    if (status !== 200) throw new Error(`${path} answered ${status}`);
    const loop = async (until: number) => {
      let n = 0;
      while (Date.now() < until) {
        await get();
        n++;
      }
      return n;
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, () => loop(Date.now() + 1000))); // warm-up
    const start = Date.now();
    const counts = await Promise.all(Array.from({ length: CONCURRENCY }, () => loop(start + SECONDS * 1000)));
    const albumRate = counts.reduce((a, b) => a + b, 0) / ((Date.now() - start) / 1000);
    agent.destroy();
    // What the plugins' handlers cost, measured directly on the app's hook registry.
    const hooks = app.get(HookRegistry);
    const ctx = { actor: { userId, username: 'bench', role: 'admin' as const, via: 'session' as const } };
    const meta: PhotoMetadata = {
      takenAt: null, author: null, copyright: null, title: null, description: null, cameraMake: 'SONY', cameraModel: 'ILCE-7M3', lens: null,
      latitude: null, longitude: null, keywords: [], plugins: {},
      raw: { exif: { ExposureProgram: 3, FocalLengthIn35mmFormat: 52, MeteringMode: 5, Flash: 16, WhiteBalance: 0, LensMake: 'Sony' } },
    };
    const file = { path: join(dataDir, 'none.jpg'), originalName: 'a.jpg', mimeType: 'image/jpeg', size: 1, sha256: '0'.repeat(64) };
    const view: AlbumView = { album: { id: album.id, name: album.name, url: path, photoCount: files.length, description: null }, ancestors: [], children: [], photos: [], extensions: {} };
    const render = { ...ctx, page: 'album', url: path, theme: 'default' };
    const hookCost = {
      ingestUs: await perCall(() => hooks.applyFilter('photo.metadata', meta, file, ctx)),
      albumUs: await perCall(() => hooks.applyFilter('album.viewModel', view, render)),
    };
    return { ingest: files.length / ingestSeconds, album: albumRate, hooks: hookCost };
  } finally {
    await app.close(); // closes the DataSource
    if (db.kind === 'PostgreSQL') await db.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const kind = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (in-memory)';
  console.log(`plugins overhead on ${kind}: ${PHOTOS} photos of ${WIDTH} px, album page ${SECONDS} s × ${CONCURRENCY} connections, ${ROUNDS} round(s)`);
  const files = await photos(PHOTOS);
  const results: Record<'off' | 'on', Figures[]> = { off: [], on: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const f = await runMode(mode === 'on', files);
      results[mode].push(f);
      const hookNote = f.hooks ? ` | hook handlers: ${f.hooks.ingestUs.toFixed(1)} µs per ingest, ${f.hooks.albumUs.toFixed(1)} µs per album page` : '';
      console.log(`  round ${round + 1}, plugins ${mode.padEnd(3)}: ingest ${f.ingest.toFixed(2)} photos/s, album page ${f.album.toFixed(1)} req/s${hookNote}`);
    }
  }
  const best = (list: Figures[], key: 'ingest' | 'album') => Math.max(...list.map((f) => f[key]));
  const ratio = { ingest: best(results.on, 'ingest') / best(results.off, 'ingest'), album: best(results.on, 'album') / best(results.off, 'album') };
  console.log(`plugins off (best):  ingest ${best(results.off, 'ingest').toFixed(2)} photos/s, album page ${best(results.off, 'album').toFixed(1)} req/s`);
  console.log(`plugins on  (best):  ingest ${best(results.on, 'ingest').toFixed(2)} photos/s, album page ${best(results.on, 'album').toFixed(1)} req/s   [${PLUGINS}]`);
  const verdict = (r: number) => (r >= 0.95 ? 'within 5 %' : 'MORE than 5 % slower');
  const on = results.on.map((f) => f.hooks!).filter(Boolean);
  const off = results.off.map((f) => f.hooks!).filter(Boolean);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  const ingestShare = (mean(on.map((h) => h.ingestUs)) - mean(off.map((h) => h.ingestUs))) / (1e6 / best(results.off, 'ingest'));
  const albumShare = (mean(on.map((h) => h.albumUs)) - mean(off.map((h) => h.albumUs))) / (1e6 / best(results.off, 'album'));
  console.log(`hook handlers' share of the time per item: ingest ${(ingestShare * 100).toFixed(3)} %, album page ${(albumShare * 100).toFixed(3)} % (independent of machine noise)`);
  console.log(`ratio on/off:        ingest ${ratio.ingest.toFixed(3)} (${verdict(ratio.ingest)}), album page ${ratio.album.toFixed(3)} (${verdict(ratio.album)})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
