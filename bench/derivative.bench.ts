/**
 * Warm derivative latency with the permission check, against baselines measured in the same run:
 *
 *   npm run bench:derivative            (PGlite; DATABASE_URL=postgres://… for Postgres)
 *
 * Starts the built server (dist/src/main.js, fresh DATA_DIR), uploads one synthetic photo into a
 * PRIVATE album, creates a member with a grant on it, logs the member in, lets the `thumb` be
 * built, then times sequential keep-alive GETs (node:http, one connection):
 *
 * 1. `static`: the same thumb bytes from a bare node:http server in this process (the floor:
 *    client + loopback + a file read);
 * 2. `asset`: a theme asset through the app without a cookie (the framework floor);
 * 3. `thumb (member)`: `/media/photos/:id/thumb.jpg` with the member's session cookie — session
 *    lookup, principal, visibility, ETag, file;
 * 4. `thumb (guest)`: the same URL without a cookie (404: invisible, checked the same way);
 * 5. `static (fetch)` and `thumb (member, fetch)`: 1 and 3 with the global fetch (undici), the
 *    client of bench/ingest.bench.ts step 4, whose own overhead is larger.
 *
 * Env: BENCH_N (timed requests per series, default 2000), BENCH_ROUNDS (default 3: the series are
 * interleaved and each figure is the median over rounds of the per-round p50/p95).
 * Prints figures and ratios; asserts nothing. Quote `uptime` with them.
 */
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, createServer as createHttpServer, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { benchNodeArgs, freePort, startServer, type BenchServer } from './bench-server.js';

const N = Number(process.env.BENCH_N ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 200;
const PASSWORD = 'bench password 1';
/** The checkout whose built server runs (BENCH_ROOT: another checkout, e.g. an older build for a before/after figure). */
const ROOT = resolve(process.env.BENCH_ROOT ?? resolve(import.meta.dirname, '../..'));

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One GET on a keep-alive connection; resolves with the status once the body is read. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((res, rej) => {
    const req = request(url, { agent, headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => res({ status: response.statusCode ?? 0, bytes, headers: response.headers }));
      response.on('error', rej);
    });
    req.on('error', rej);
    req.end();
  });
}

async function json<T>(url: string, init: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function login(base: string, username: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (res.status >= 300) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

/** p50/p95 of `n` sequential requests after a warm-up; checks the expected status on each. */
async function series(url: string, headers: Record<string, string>, status: number, n: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < n + WARMUP; i++) {
    const t0 = performance.now();
    const r = await get(url, headers);
    const dt = performance.now() - t0;
    if (r.status !== status) throw new Error(`${url}: ${r.status}, expected ${status}`);
    if (i >= WARMUP) times.push(dt);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n / 2)]!, p95: times[Math.min(n - 1, Math.floor(n * 0.95))]! };
}

/** Same as {@link series} with the global fetch (undici), the client bench/ingest.bench.ts step 4 uses. */
async function fetchSeries(url: string, headers: Record<string, string>, n: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < n + WARMUP; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    const dt = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    if (i >= WARMUP) times.push(dt);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n / 2)]!, p95: times[Math.min(n - 1, Math.floor(n * 0.95))]! };
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'vitrine-bench-deriv-'));
  let server: BenchServer | undefined;
  let staticServer: ReturnType<typeof createHttpServer> | undefined;
  try {
    const photo = join(work, 'photo.jpg');
    // Smooth gradients plus some noise: a thumb of a realistic size (tens of KB).
    const raw = Buffer.alloc(1600 * 1200 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = ((i % 4800) / 19 + Math.floor(i / 4800) / 5 + (Math.random() * 40 | 0)) & 255;
    await sharp(raw, { raw: { width: 1600, height: 1200, channels: 3 } }).jpeg({ quality: 90 }).toFile(photo);

    const port = await freePort();
    const dataDir = join(work, 'data');
    server = startServer({ root: ROOT, env: { DATA_DIR: dataDir, PORT: String(port), ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn' }, nodeArgs: benchNodeArgs() });
    await server.ready;
    const base = `http://127.0.0.1:${port}`;
    const admin = await login(base, 'admin');
    const adminHeaders = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const album = await json<{ id: number }>(`${base}/api/v1/albums`, {
      method: 'POST',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench', status: 'private' }),
    });
    const form = new FormData();
    form.append('albumIds', String(album.id));
    form.append('file', new Blob([new Uint8Array(readFileSync(photo))], { type: 'image/jpeg' }), 'photo.jpg');
    const uploaded = await json<{ photos: Array<{ id: number }> }>(`${base}/api/v1/photos`, { method: 'POST', headers: adminHeaders, body: form });
    const id = uploaded.photos[0]!.id;
    const member = await json<{ id: number }>(`${base}/api/v1/users`, {
      method: 'POST',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'viewer', password: PASSWORD, role: 'member' }),
    });
    const grant = await fetch(`${base}/api/v1/albums/${album.id}/grants`, {
      method: 'POST',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ userIds: [member.id] }),
    });
    if (grant.status >= 300) throw new Error(`grant: ${grant.status} ${await grant.text()}`);
    const viewer = await login(base, 'viewer');
    const thumbUrl = `${base}/media/photos/${id}/thumb.jpg`;
    const first = await get(thumbUrl, { cookie: viewer.cookie });
    if (first.status !== 200) throw new Error(`thumb: ${first.status}`);
    if (String(first.headers['cache-control']).includes('public')) throw new Error(`private thumb answered Cache-Control: ${first.headers['cache-control']}`);

    const thumbFile = join(dataDir, 'derivatives', String(Math.floor(id / 1000)), String(id), 'thumb.jpg');
    const size = statSync(thumbFile).size;
    staticServer = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(size) });
      createReadStream(thumbFile).pipe(res);
    });
    const staticPort = await freePort();
    await new Promise<void>((r) => staticServer!.listen(staticPort, '127.0.0.1', r));
    const home = await fetch(`${base}/`);
    const assetPath = /(\/assets\/[^"'?\s]+\.css)/.exec(await home.text())?.[1];

    const runs: Record<string, { p50: number[]; p95: number[] }> = {};
    const record = (name: string, r: { p50: number; p95: number }) => {
      runs[name] ??= { p50: [], p95: [] };
      runs[name].p50.push(r.p50);
      runs[name].p95.push(r.p95);
    };
    console.log(`thumb: ${size} bytes; ${N} requests per series, ${ROUNDS} rounds; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (let round = 0; round < ROUNDS; round++) {
      record('static', await series(`http://127.0.0.1:${staticPort}/thumb.jpg`, {}, 200, N));
      if (assetPath) record('asset', await series(`${base}${assetPath}`, {}, 200, N));
      record('thumb (member)', await series(thumbUrl, { cookie: viewer.cookie }, 200, N));
      record('thumb (guest, 404)', await series(thumbUrl, {}, 404, N));
      record('static (fetch)', await fetchSeries(`http://127.0.0.1:${staticPort}/thumb.jpg`, {}, N));
      record('thumb (member, fetch)', await fetchSeries(thumbUrl, { cookie: viewer.cookie }, N));
    }
    const floor = med(runs.static!.p50);
    for (const [name, r] of Object.entries(runs)) {
      console.log(`${name.padEnd(20)} p50 ${med(r.p50).toFixed(3)} ms  p95 ${med(r.p95).toFixed(3)} ms  = ${(med(r.p50) / floor).toFixed(2)}× static p50`);
    }
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    agent.destroy();
    staticServer?.close();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
