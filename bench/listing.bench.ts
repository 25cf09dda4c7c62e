/**
 * Photo-listing throughput of the REST API against ws.php on the same data, in one run:
 *
 *   npm run bench:listing
 *
 * Starts the built server (dist/src/main.js, fresh DATA_DIR; PGlite unless DATABASE_URL is set),
 * uploads BENCH_PHOTOS (default 100) small JPEGs into one public album, then loads, for
 * BENCH_SECONDS each (default 10), 8 connections:
 *   A. ws.php `pwg.categories.getImages&cat_id=<id>&per_page=100` (anonymous) — the baseline;
 *   B. REST `GET /api/v1/photos?album=<id>&limit=100` (anonymous);
 *   C. the same REST listing as a logged-in member (session cookie), and D. ws.php as that member;
 * rounds interleaved (BENCH_ROUNDS, default 2), then restarts the server on the same data with
 * `API_ANSWER_CACHE_MS=0` and loads B again (REST without its answer cache).
 * Uses wrk (`-t2 -c8 --latency`) when /usr/bin/wrk or `WRK` exists, else a plain keep-alive HTTP
 * loop. Prints req/s, p50, p99 and the server's CPU time per request (/proc; with PGlite the
 * database runs in the server process, so this is the whole cost) of each, the ratios REST /
 * ws.php and the load average.
 * Asserts nothing: on a shared machine compare ratios, not absolute figures.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { cpuMsOf, freePort, startServer, type BenchServer } from './bench-server.js';

const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 8;
const PASSWORD = 'bench password 1';
const WRK = process.env.WRK ?? (existsSync('/usr/bin/wrk') ? '/usr/bin/wrk' : undefined);
const ROOT = resolve(import.meta.dirname, '../..');

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Requests answered in the run. */
  requests: number;
  /** Server CPU time (user + system, from /proc) per request, ms: steadier than req/s on a busy machine. */
  cpuMs: number;
}

type Http = (path: string, init?: RequestInit) => Promise<Response>;

async function login(base: string, username: string, password: string): Promise<{ http: Http; cookie: string }> {
  const res = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status >= 300) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const http: Http = (path, init = {}) => fetch(`${base}${path}`, { ...init, headers: { cookie, 'x-csrf-token': csrfToken, ...(init.headers as Record<string, string>) } });
  return { http, cookie };
}

const json = { 'content-type': 'application/json' };

/** A public album with `n` small distinct JPEGs, and a member account; returns the album id. */
async function seed(admin: Http, n: number): Promise<number> {
  const created = await admin('/api/v1/albums', { method: 'POST', headers: json, body: JSON.stringify({ name: 'Bench listing', status: 'public' }) });
  if (created.status >= 300) throw new Error(`album: ${created.status} ${await created.text()}`);
  const album = ((await created.json()) as { id: number }).id;
  for (let i = 0; i < n; i++) {
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: i % 256, g: (i * 7) % 256, b: 200 } } }).jpeg().toBuffer();
    const form = new FormData();
    form.append('albumIds', String(album));
    form.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), `bench-${i}.jpg`);
    const res = await admin('/api/v1/photos', { method: 'POST', body: form });
    if (res.status !== 201) throw new Error(`upload ${i}: ${res.status} ${await res.text()}`);
  }
  const member = await admin('/api/v1/users', { method: 'POST', headers: json, body: JSON.stringify({ username: 'bench-member', password: PASSWORD, role: 'member' }) });
  if (member.status >= 300) throw new Error(`member: ${member.status} ${await member.text()}`);
  return album;
}

function ms(text: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (!m) return Number.NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

async function runWrk(url: string, headers: Record<string, string>): Promise<Figures> {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url];
  const { stdout } = await promisify(execFile)(WRK!, args, { maxBuffer: 1 << 20 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
  const p50 = ms(/\s50%\s+(\S+)/.exec(stdout)?.[1] ?? '');
  const p99 = ms(/\s99%\s+(\S+)/.exec(stdout)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? Number.NaN);
  return { rps, p50, p99, non2xx, requests, cpuMs: Number.NaN };
}

/** Without wrk: CONNECTIONS keep-alive loops for SECONDS. */
async function runLoop(url: string, headers: Record<string, string>): Promise<Figures> {
  const latencies: number[] = [];
  let non2xx = 0;
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (res.status >= 400) non2xx++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
  return { rps: latencies.length / ((performance.now() - started) / 1000), p50: at(50), p99: at(99), non2xx, requests: latencies.length, cpuMs: Number.NaN };
}

let serverPid = 0;
async function load(url: string, headers: Record<string, string> = {}): Promise<Figures> {
  const cpu0 = cpuMsOf(serverPid);
  const f = await (WRK ? runWrk(url, headers) : runLoop(url, headers));
  return { ...f, cpuMs: (cpuMsOf(serverPid) - cpu0) / f.requests };
}

/** Checks the URL answers 200 with `expected` photos before loading it. */
async function check(url: string, headers: Record<string, string>, count: (body: unknown) => number, expected: number): Promise<void> {
  const res = await fetch(url, { headers });
  const body: unknown = await res.json();
  if (res.status !== 200 || count(body) !== expected) throw new Error(`${url}: ${res.status}, ${count(body)} photos instead of ${expected}`);
}

const line = (label: string, f: Figures) =>
  `${label.padEnd(36)} ${f.rps.toFixed(0).padStart(5)} req/s  p50 ${f.p50.toFixed(2).padStart(7)} ms  p99 ${f.p99.toFixed(2).padStart(7)} ms  server CPU ${f.cpuMs.toFixed(2)} ms/req${f.non2xx ? `  NON-2xx: ${f.non2xx}` : ''}`;
const mean = (xs: Figures[]): Figures => ({
  rps: xs.reduce((s, f) => s + f.rps, 0) / xs.length,
  p50: xs.reduce((s, f) => s + f.p50, 0) / xs.length,
  p99: xs.reduce((s, f) => s + f.p99, 0) / xs.length,
  non2xx: xs.reduce((s, f) => s + f.non2xx, 0),
  requests: xs.reduce((s, f) => s + f.requests, 0),
  cpuMs: xs.reduce((s, f) => s + f.cpuMs * f.requests, 0) / xs.reduce((s, f) => s + f.requests, 0),
});
const loadAvg = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'vitrine-bench-listing-'));
  const dataDir = join(work, 'data');
  let server: BenchServer | undefined;
  try {
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn' };
    server = startServer({ root: ROOT, env });
    await server.ready;
    serverPid = server.proc.pid!;
    const base = `http://127.0.0.1:${port}`;
    const { http: admin } = await login(base, 'admin', PASSWORD);
    const album = await seed(admin, PHOTOS);
    const { cookie } = await login(base, 'bench-member', PASSWORD);
    const ws = `${base}/ws.php?format=json&method=pwg.categories.getImages&cat_id=${album}&per_page=100`;
    const rest = `${base}/api/v1/photos?album=${album}&limit=100`;
    const shown = Math.min(100, PHOTOS);
    await check(ws, {}, (b) => (b as { result: { images: unknown[] } }).result.images.length, shown);
    await check(rest, {}, (b) => (b as { items: unknown[] }).items.length, shown);
    await check(rest, { cookie }, (b) => (b as { items: unknown[] }).items.length, shown);
    await check(ws, { cookie }, (b) => (b as { result: { images: unknown[] } }).result.images.length, shown);

    console.log(`listing bench: ${PHOTOS} photos in one public album, ${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} round(s), ${WRK ? 'wrk' : 'plain HTTP loop'}, ${process.env.DATABASE_URL ? 'Postgres' : 'PGlite'}`);
    console.log(`load average before: ${loadAvg()}`);
    const kinds = {
      ws: { label: 'A ws.php getImages (anonymous)', url: ws, headers: {} },
      rest: { label: 'B REST /photos (anonymous)', url: rest, headers: {} },
      member: { label: 'C REST /photos (member session)', url: rest, headers: { cookie } },
      wsMember: { label: 'D ws.php getImages (member session)', url: ws, headers: { cookie } },
    } as const;
    type Kind = keyof typeof kinds;
    const runs: Record<Kind, Figures[]> = { ws: [], rest: [], member: [], wsMember: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order so neither side always runs on a warmer (or busier) machine.
      const order: Kind[] = round % 2 === 0 ? ['ws', 'rest', 'member', 'wsMember'] : ['wsMember', 'member', 'rest', 'ws'];
      for (const which of order) {
        const f = await load(kinds[which].url, kinds[which].headers);
        runs[which].push(f);
        console.log(`  round ${round + 1}: ${line(kinds[which].label, f)}   (load ${loadAvg()})`);
      }
    }
    await server.stop();
    server = startServer({ root: ROOT, env: { ...env, API_ANSWER_CACHE_MS: '0' } });
    await server.ready;
    serverPid = server.proc.pid!;
    await check(rest, {}, (b) => (b as { items: unknown[] }).items.length, shown);
    const uncached = await load(rest);
    const [wsF, restF, memberF, wsMemberF] = [mean(runs.ws), mean(runs.rest), mean(runs.member), mean(runs.wsMember)];
    console.log('');
    console.log(`means of ${ROUNDS} round(s):`);
    for (const which of Object.keys(kinds) as Kind[]) console.log(line(kinds[which].label, mean(runs[which])));
    console.log(line('E REST /photos, answer cache off', uncached));
    console.log(`ratio REST/ws.php req/s: anonymous ${(restF.rps / wsF.rps).toFixed(2)} (B/A), member session ${(memberF.rps / wsMemberF.rps).toFixed(2)} (C/D), REST cache off vs ws.php ${(uncached.rps / wsF.rps).toFixed(2)} (E/A)`);
    console.log(`ratio REST/ws.php server CPU per request (lower is cheaper): anonymous ${(restF.cpuMs / wsF.cpuMs).toFixed(2)} (B/A), member session ${(memberF.cpuMs / wsMemberF.cpuMs).toFixed(2)} (C/D), cache off ${(uncached.cpuMs / wsF.cpuMs).toFixed(2)} (E/A)`);
    console.log(`load average after: ${loadAvg()}`);
  } finally {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
