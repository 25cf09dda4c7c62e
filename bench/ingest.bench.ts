/**
 * Ingest throughput, in one run, as ratios against a bare sharp loop on the same machine:
 *
 *   npm run bench:ingest <photos dir>        (photos from ../shared/bench/make-photos.sh DIR N, 12 MP)
 *
 * 1. bare loop: sharp only — decode each photo once and write the eager sizes (square, thumb,
 *    medium JPEG), with 1 and 2 workers: photos/s;
 * 2. HTTP upload to a real server process (dist/src/main.js, fresh DATA_DIR; PGlite unless
 *    DATABASE_URL is set), 1 then 2 concurrent clients, counted until every eager derivative
 *    of the uploaded photos exists: photos/s and % of the bare loop;
 * 3. cold on-demand size (`large`) through HTTP vs a bare sharp build of that size: median ms, ratio;
 * 4. warm derivative (`thumb`) p50/p95 through HTTP with the permission check (logged-in member
 *    of a private album's grant, so the visibility filter runs);
 * 5. server peak RSS (VmHWM) over everything it ingested (BENCH_LONG=N uploads N more photos,
 *    cycling the set with a changed byte so each is new).
 *
 * Env: BENCH_PHOTOS (photos per upload phase, default 24), BENCH_LONG (default 0), BENCH_ROUNDS
 * (default 3: the 2-worker bare loop and the 2-client upload alternate, median ratio), BENCH_NODE_ARGS
 * (node flags for the server, e.g. `--cpu-prof`); the server inherits the environment
 * (e.g. VITRINE_SHARP_CONCURRENCY) and gets MALLOC_ARENA_MAX=2 unless it is set, as `npm start`
 * and the Docker image run it (set it to another value to compare). BENCH_UPLOAD_ONLY=1 stops after the upload
 * phases; BENCH_THREADS=1 splits the server's CPU per photo by thread (main, libuv pool "node",
 * libvips workers); BENCH_SERVER_LOG=<file> appends the server's stdout (e.g. with --trace-gc).
 *
 * Both sides are measured the same way: CPU ms per photo (user + system, all threads, from
 * /proc) of the bare loop's process and of the server process. The client builds each multipart
 * body before the clock starts and sends it with node:http in one write (fetch with FormData
 * cost it 14–19 ms of CPU per photo and made the server read smaller pieces); its CPU is printed
 * apart, as is the machine's busy share and the CPU of everything else (the database server).
 * Prints figures; asserts nothing. Keep runs short on a shared machine: compare ratios.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { generateDerivatives } from '../src/media/derivative.generator.js';
import { request } from 'node:http';
import { benchNodeArgs, cpuMsOf, freePort, machineCpuMs, startServer, type BenchServer } from './bench-server.js';
import { ImageSizeRegistry } from '../src/media/image-size.registry.js';

const PER_PHASE = Number(process.env.BENCH_PHOTOS ?? 24);
/** `BENCH_UPLOAD_ONLY=1`: stop after the two upload phases (profiling runs). */
const UPLOAD_ONLY = process.env.BENCH_UPLOAD_ONLY === '1';
const LONG = Number(process.env.BENCH_LONG ?? 0);
/** `BENCH_ROUNDS=N` (default 3): N alternating rounds of the 2-worker bare loop and the 2-client upload. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const PASSWORD = 'bench password 1';

/** fetch against the server with a logged-in session; `cookie` and `csrf` for the raw upload client. */
type Http = ((path: string, init?: RequestInit) => Promise<Response>) & { cookie: string; csrf: string };

const ROOT = resolve(import.meta.dirname, '../..');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function pool<T>(items: T[], workers: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/**
 * The reference: what the server must do at least for each photo, with nothing else — one decode
 * to the eager intermediate, the eager JPEG sizes (same quality/progressive/ICC settings as the
 * server: both go through `writeFromIntermediate`) and the blur placeholder the server also
 * computes. Returns photos/s and CPU ms per photo of this process (sharp's threads included).
 */
async function bareLoop(files: string[], workers: number, out: string): Promise<{ rate: number; cpuMs: number }> {
  const eager = new ImageSizeRegistry().eager();
  const cpu0 = cpuMsOf(process.pid);
  const started = performance.now();
  await pool(files, workers, async (file) => {
    const dir = join(out, `${workers}-${file.split('/').pop()}`);
    await mkdir(dir, { recursive: true });
    await generateDerivatives(file, eager, (s) => join(dir, `${s.name}.jpg`), { maxImagePixels: 100_000_000, formats: ['jpeg'], placeholder: true });
  });
  const rate = files.length / ((performance.now() - started) / 1000);
  return { rate, cpuMs: (cpuMsOf(process.pid) - cpu0) / files.length };
}

/** The server's CPU ms by thread kind: `main`, `libvips worker`, `node` (libuv pool running sharp and fs, V8 helpers). */
function threadCpu(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = tid === String(pid) ? 'main' : (/\((.*)\)/.exec(stat)?.[1] ?? '?');
      const ms = cpuMsOf(pid, tid);
      if (!Number.isNaN(ms)) byName.set(name, (byName.get(name) ?? 0) + ms);
    } catch {
      // the thread ended meanwhile
    }
  }
  return byName;
}

function threadDelta(before: Map<string, number>, after: Map<string, number>, photos: number): string {
  return [...after].map(([name, ms]) => `${name} ${((ms - (before.get(name) ?? 0)) / photos).toFixed(0)}`).join(', ');
}

async function login(base: string, username: string, password: string): Promise<Http> {
  const res = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status >= 300) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const http = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { cookie, 'x-csrf-token': csrfToken, ...(init.headers as Record<string, string>) } });
  return Object.assign(http, { cookie, csrf: csrfToken });
}

/**
 * One multipart upload through node:http with a body built beforehand (one buffer, one write):
 * the client shares the two cores with the server, so it should cost as little CPU as a real
 * client on another machine would cost the server's machine (nothing). Resolves to status and body.
 */
function postMultipart(base: string, cookie: string, csrf: string, body: Buffer, boundary: string): Promise<{ status: number; text: string }> {
  return new Promise((res, rej) => {
    const req = request(`${base}/api/v1/photos`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => res({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', rej);
    });
    req.on('error', rej);
    req.end(body);
  });
}

/** The multipart body of one upload: the album id field and one file part. */
function multipartBody(boundary: string, albumId: number, name: string, bytes: Buffer): Buffer {
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="albumIds"\r\n\r\n${albumId}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes, Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1')]);
}

function vmHwmMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Current and peak resident size of the server, for the stage log. */
function rssLine(pid: number): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (k: string) => (Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024).toFixed(0);
  return `server RSS ${mb('VmRSS')} MB (peak ${mb('VmHWM')} MB)`;
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: npm run bench:ingest <photos dir>');
  const all = readdirSync(dir).filter((f) => /\.jpe?g$/i.test(f)).sort().map((f) => resolve(dir, f));
  if (all.length < 2) throw new Error(`need photos in ${dir}`);
  const phase1 = all.slice(0, PER_PHASE);
  const phase2 = all.slice(PER_PHASE, PER_PHASE * 2).length ? all.slice(PER_PHASE, PER_PHASE * 2) : phase1;
  const work = mkdtempSync(join(tmpdir(), 'vitrine-bench-ingest-'));
  let server: BenchServer | undefined;
  try {
    console.log(`photos: ${all.length} in ${dir}; ${phase1.length} per phase; ${(readFileSync(all[0]!).length / 1e6).toFixed(1)} MB each`);
    sharp.cache(false);
    await bareLoop(phase1.slice(0, 1), 1, join(work, 'warmup'));
    const b1 = await bareLoop(phase1, 1, join(work, 'bare'));
    const b2 = await bareLoop(phase1, 2, join(work, 'bare'));
    const [bare1, bare2] = [b1.rate, b2.rate];
    sharp.cache(true);
    console.log(`bare sharp loop (decode once, eager sizes + placeholder): ${bare1.toFixed(2)} photos/s (1 worker), ${bare2.toFixed(2)} photos/s (2 workers); CPU ${b1.cpuMs.toFixed(0)} / ${b2.cpuMs.toFixed(0)} ms per photo`);

    const port = await freePort();
    const dataDir = join(work, 'data');
    server = startServer({
      root: ROOT,
      env: { DATA_DIR: dataDir, PORT: String(port), ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn' },
      envDefaults: { MALLOC_ARENA_MAX: '2' },
      nodeArgs: benchNodeArgs(),
      ...(process.env.BENCH_SERVER_LOG ? { logFile: process.env.BENCH_SERVER_LOG } : {}),
    });
    await server.ready;
    console.log(`  started: ${rssLine(server.proc.pid!)}`);
    const base = `http://127.0.0.1:${port}`;
    const admin = await login(base, 'admin', PASSWORD);
    const album = (await (await admin('/api/v1/albums', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench', status: 'private' }) })).json()) as { id: number };

    const serverPid = server.proc.pid!;
    const uploadAll = async (files: string[], clients: number, mutate = 0): Promise<{ rate: number; ids: number[]; cpuMs: number; clientCpuMs: number }> => {
      const ids: number[] = [];
      // The photos are read before the clock starts: a real client reads them on its own machine,
      // and here it shares the two cores with the server (its CPU is printed separately).
      // (Long imports read on the fly, to keep the bench's own memory flat.)
      // curl's shape (24 dashes + 16 hex); the parser's boundary search costs more for short ones.
      const boundary = `------------------------${process.pid.toString(16).padStart(16, '0')}`;
      const bodyOf = (file: string) => {
        const bytes = readFileSync(file);
        if (mutate) bytes[bytes.length - 3] ^= mutate; // a distinct hash, still a valid JPEG
        return multipartBody(boundary, album.id, file.split('/').pop()!, bytes);
      };
      const preloaded = new Map(files.length <= 64 ? files.map((file) => [file, bodyOf(file)]) : []);
      const cpu0 = cpuMsOf(serverPid);
      const threads0 = threadCpu(serverPid);
      const clientCpu0 = cpuMsOf(process.pid);
      const machine0 = machineCpuMs();
      const started = performance.now();
      await pool(files, clients, async (file) => {
        const res = await postMultipart(base, admin.cookie, admin.csrf, preloaded.get(file) ?? bodyOf(file), boundary);
        if (res.status !== 201) throw new Error(`upload ${file}: ${res.status} ${res.text}`);
        ids.push((JSON.parse(res.text) as { photos: Array<{ id: number }> }).photos[0]!.id);
      });
      const eager = ['square.jpg', 'thumb.jpg', 'medium.jpg'];
      const done = (id: number) => eager.every((f) => existsSync(join(dataDir, 'derivatives', String(Math.floor(id / 1000)), String(id), f)));
      while (!ids.every(done)) await new Promise((r) => setTimeout(r, 20));
      const rate = files.length / ((performance.now() - started) / 1000);
      if (process.env.BENCH_THREADS === '1') console.log(`  server CPU ms per photo by thread: ${threadDelta(threads0, threadCpu(serverPid), files.length)}`);
      const machine = machineCpuMs();
      const cpuMs = (cpuMsOf(serverPid) - cpu0) / files.length;
      const clientCpuMs = (cpuMsOf(process.pid) - clientCpu0) / files.length;
      const busyMs = (machine.busy - machine0.busy) / files.length;
      // Busy share of all cores over the phase; "others" is the database server, the kernel's own threads and anything else running.
      const busyPct = (100 * (machine.busy - machine0.busy)) / (machine.total - machine0.total);
      console.log(`  machine: ${busyPct.toFixed(0)} % busy; CPU ms per photo: server ${cpuMs.toFixed(0)}, client ${clientCpuMs.toFixed(0)}, others ${(busyMs - cpuMs - clientCpuMs).toFixed(0)}`);
      return { rate, ids, cpuMs, clientCpuMs };
    };
    // One upload first, so JIT warm-up and lazy module loading are not counted (the bare loop had its warm-up too).
    await uploadAll(phase1.slice(0, 1), 1, 0x55);
    const one = await uploadAll(phase1, 1);
    console.log(`  after phase 1: ${rssLine(server.proc.pid!)}`);
    console.log(`HTTP upload, 1 client:  ${one.rate.toFixed(2)} photos/s until all eager derivatives exist = ${((100 * one.rate) / bare1).toFixed(0)} % of bare (1 worker), ${((100 * one.rate) / bare2).toFixed(0)} % of bare (2 workers); server CPU ${one.cpuMs.toFixed(0)} ms per photo (bare ${b1.cpuMs.toFixed(0)}), client CPU ${one.clientCpuMs.toFixed(0)} ms`);
    const two = await uploadAll(phase2, 2, phase2 === phase1 ? 1 : 0);
    console.log(`  after phase 2: ${rssLine(server.proc.pid!)}`);
    console.log(`HTTP upload, 2 clients: ${two.rate.toFixed(2)} photos/s until all eager derivatives exist = ${((100 * two.rate) / bare2).toFixed(0)} % of bare (2 workers); server CPU ${two.cpuMs.toFixed(0)} ms per photo (bare ${b2.cpuMs.toFixed(0)}), client CPU ${two.clientCpuMs.toFixed(0)} ms`);
    if (ROUNDS > 1) {
      // The machine's speed drifts (shared host): more rounds alternate the 2-worker bare loop and
      // the 2-client upload, each ratio taken against the bare run just before it; medians.
      const rounds = [{ bare: bare2, upload: two.rate }];
      for (let round = 1; round < ROUNDS; round++) {
        sharp.cache(false);
        const bare = (await bareLoop(phase1, 2, join(work, `bare-round${round}`))).rate;
        sharp.cache(true);
        const upload = (await uploadAll(phase2, 2, 0x10 + round)).rate;
        rounds.push({ bare, upload });
        console.log(`  round ${round + 1}: bare ${bare.toFixed(2)} photos/s, upload ${upload.toFixed(2)} photos/s = ${((100 * upload) / bare).toFixed(0)} %`);
      }
      const ratios = rounds.map((r) => r.upload / r.bare);
      console.log(`HTTP upload, 2 clients, ${ROUNDS} rounds: median ${median(rounds.map((r) => r.upload)).toFixed(2)} photos/s = median ${(100 * median(ratios)).toFixed(0)} % of bare (per round ${ratios.map((r) => (100 * r).toFixed(0)).join(', ')} %)`);
    }
    if (UPLOAD_ONLY) return;

    // Cold on-demand `large` vs bare sharp for that size.
    const sample = one.ids.slice(0, Math.min(9, one.ids.length));
    const cold: number[] = [];
    for (const id of sample) {
      const t0 = performance.now();
      const res = await admin(`/media/photos/${id}/large.jpg`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`large ${id}: ${res.status}`);
      cold.push(performance.now() - t0);
    }
    const large = new ImageSizeRegistry().get('large')!;
    const bareLarge: number[] = [];
    for (const file of phase1.slice(0, sample.length)) {
      const t0 = performance.now();
      await generateDerivatives(file, [large], () => join(work, 'bare-large.jpg'), { maxImagePixels: 100_000_000, formats: ['jpeg'], placeholder: false });
      bareLarge.push(performance.now() - t0);
    }
    console.log(`  after cold large: ${rssLine(server.proc.pid!)}`);
    console.log(`cold on-demand "large": ${median(cold).toFixed(0)} ms median vs bare sharp ${median(bareLarge).toFixed(0)} ms = ${(median(cold) / median(bareLarge)).toFixed(2)}×`);

    // Warm thumb with the permission check: a member who sees the private album through a grant.
    await admin('/api/v1/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'viewer', password: PASSWORD, role: 'member' }) });
    const users = (await (await admin('/api/v1/users?limit=50')).json()) as { items: Array<{ id: number; username: string }> };
    const viewerId = users.items.find((u) => u.username === 'viewer')?.id;
    const grant = await admin(`/api/v1/albums/${album.id}/grants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userIds: [viewerId] }) });
    const viewer = grant.status < 300 ? await login(base, 'viewer', PASSWORD) : admin;
    const who = grant.status < 300 ? 'member with a grant' : `admin (grant route answered ${grant.status})`;
    const warm: number[] = [];
    const id = one.ids[0]!;
    for (let i = 0; i < 400; i++) {
      const t0 = performance.now();
      const res = await viewer(`/media/photos/${id}/thumb.jpg`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`thumb: ${res.status}`);
      if (i >= 50) warm.push(performance.now() - t0);
    }
    console.log(`warm "thumb" through HTTP (${who}): p50 ${median(warm).toFixed(2)} ms, p95 ${pct(warm, 95).toFixed(2)} ms`);

    if (LONG > 0) {
      let uploaded = 0;
      let round = 2;
      while (uploaded < LONG) {
        const batch = all.slice(0, Math.min(all.length, LONG - uploaded));
        await uploadAll(batch, 2, round++);
        uploaded += batch.length;
        console.log(`  long import: ${uploaded}/${LONG}, ${rssLine(server.proc.pid!)}`);
      }
    }
    const total = phase1.length + phase2.length + LONG;
    console.log(`server peak RSS (VmHWM): ${vmHwmMb(server.proc.pid!).toFixed(0)} MB after ${total} photos ingested`);
  } finally {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
