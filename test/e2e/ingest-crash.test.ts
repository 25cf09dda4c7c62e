import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, withDatabase } from '../support/global-setup.js';
import { freePort, spawnVitrine, type VitrineProcess } from '../support/spawn-vitrine.js';

/**
 * kill -9 of a real server (dist/) in the middle of a 200-photo upload by two clients, then a
 * restart: no orphan file, no orphan row, no acknowledged photo lost, the upload resumes and
 * completes (every eager derivative built). `npm run build` first.
 */
const pgUrl = process.env.DATABASE_URL;
const PHOTOS = 200;
const KILL_AFTER = 60;
const PASSWORD = 'a long password';

type Http = (path: string, init?: RequestInit) => Promise<Response>;

async function login(base: string): Promise<Http> {
  const res = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  if (res.status >= 300) throw new Error(`login failed: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (path, init = {}) => fetch(`${base}${path}`, { ...init, headers: { cookie, 'x-csrf-token': csrfToken, ...(init.headers as Record<string, string>) } });
}

/** 200 distinct small JPEGs (a gradient and a colour that depend on i). */
async function makePhotos(): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let i = 0; i < PHOTOS; i++) {
    const w = 320;
    const h = 240;
    const raw = Buffer.alloc(w * h * 3);
    for (let p = 0; p < w * h; p++) {
      raw[p * 3] = (p % w) + i;
      raw[p * 3 + 1] = Math.floor(p / w) ^ i;
      raw[p * 3 + 2] = (i * 37) % 256;
    }
    out.push(await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 85 }).toBuffer());
  }
  return out;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('kill -9 during a 200-photo upload', () => {
  let dir: string;
  let dbName: string | undefined;
  let server: VitrineProcess | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-crash-'));
    if (pgUrl) {
      dbName = `vitrine_crash_${process.pid}_${Date.now()}`;
      await adminQuery(pgUrl, `CREATE DATABASE ${dbName}`);
    }
  });
  afterAll(async () => {
    if (server && server.proc.exitCode === null) server.proc.kill('SIGKILL');
    if (pgUrl && dbName) await adminQuery(pgUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged photo, leaves no orphan, and the resumed upload completes', async () => {
    const photos = await makePhotos();
    const port = await freePort();
    const dataDir = join(dir, 'data');
    const env = { DATA_DIR: dataDir, PORT: String(port), ADMIN_PASSWORD: PASSWORD, DATABASE_URL: pgUrl && dbName ? withDatabase(pgUrl, dbName) : undefined };
    const base = `http://127.0.0.1:${port}`;
    server = spawnVitrine(env);
    await server.waitForOutput(/Stop with Ctrl-C/);
    let http = await login(base);
    const albumRes = await http('/api/v1/albums', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Crash test' }) });
    const albumId = ((await albumRes.json()) as { id: number }).id;

    /** index → photo id, for uploads the server acknowledged (201). */
    const acknowledged = new Map<number, number>();
    const upload = async (i: number): Promise<boolean> => {
      const form = new FormData();
      form.append('albumIds', String(albumId));
      form.append('file', new Blob([new Uint8Array(photos[i]!)], { type: 'image/jpeg' }), `p${i}.jpg`);
      try {
        const res = await http('/api/v1/photos', { method: 'POST', body: form });
        if (res.status !== 201) return false;
        const body = (await res.json()) as { photos: Array<{ id: number }> };
        acknowledged.set(i, body.photos[0]!.id);
        return true;
      } catch {
        return false; // connection lost: not acknowledged
      }
    };
    /** Two clients take the next index not yet acknowledged until none is left or `stop()` says so. */
    const run = async (stop: () => boolean) => {
      const pending = [...Array(PHOTOS).keys()].filter((i) => !acknowledged.has(i));
      let next = 0;
      const client = async () => {
        while (next < pending.length && !stop()) {
          const i = pending[next++]!;
          if (!(await upload(i)) && stop()) return;
        }
      };
      await Promise.all([client(), client()]);
    };

    let killed = false;
    const first = run(() => killed);
    while (acknowledged.size < KILL_AFTER) await new Promise((r) => setTimeout(r, 10));
    server.proc.kill('SIGKILL');
    killed = true;
    await server.exited();
    await first;
    const beforeCrash = new Map(acknowledged);
    expect(beforeCrash.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(beforeCrash.size).toBeLessThan(PHOTOS);

    server = spawnVitrine(env);
    await server.waitForOutput(/Stop with Ctrl-C/);
    http = await login(base);
    // Every photo acknowledged before the crash is still there, with its bytes.
    for (const [i, id] of beforeCrash) {
      const original = await http(`/media/photos/${id}/original`);
      expect(original.status, `photo ${id} (p${i}.jpg)`).toBe(200);
      expect(Buffer.from(await original.arrayBuffer()).equals(photos[i]!)).toBe(true);
    }
    await run(() => false);
    expect(acknowledged.size).toBe(PHOTOS);
    for (const [i, id] of beforeCrash) expect(acknowledged.get(i)).toBe(id);
    const ids = new Set(acknowledged.values());
    expect(ids.size).toBe(PHOTOS);

    const listed = (await (await http(`/api/v1/photos?album=${albumId}&limit=200`)).json()) as { items?: Array<{ id: number }>; data?: Array<{ id: number }> };
    const rows = listed.items ?? listed.data ?? [];
    expect(new Set(rows.map((p) => p.id))).toEqual(ids);

    // The eager derivatives of every photo get built (jobs of the crash were re-queued).
    const eager = ['square.jpg', 'thumb.jpg', 'medium.jpg'];
    const missing = () => [...ids].filter((id) => eager.some((f) => !existsSync(join(dataDir, 'derivatives', String(Math.floor(id / 1000)), String(id), f))));
    const deadline = Date.now() + 180_000;
    while (missing().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(missing()).toEqual([]);

    server.proc.kill('SIGTERM');
    expect(await server.exited()).toBe(0);
    server = undefined;

    // No orphan file: every original belongs to one of the 200 photos, no derivative folder of an
    // unknown id, nothing left in tmp; and doctor (rows vs files) finds nothing to repair.
    const originals = filesUnder(join(dataDir, 'originals'));
    expect(originals).toHaveLength(PHOTOS);
    const derivativeDirs = new Set(filesUnder(join(dataDir, 'derivatives')).map((f) => Number(f.split('/').at(-2))));
    expect(derivativeDirs).toEqual(ids);
    expect(filesUnder(join(dataDir, 'derivatives')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(filesUnder(join(dataDir, 'tmp'))).toEqual([]);
    const doctor = spawnVitrine(env, 'cli.js', ['doctor']);
    expect(await doctor.exited(), doctor.output() + doctor.stderr()).toBe(0);
    expect(doctor.output()).toContain('Interrupted ingests cleaned: 0 original(s), 0 temp file(s).');
    expect(doctor.output()).toContain('Orphan originals (no photo row): 0');
    expect(doctor.output()).toContain('Photos whose original is missing: 0');
    expect(doctor.output()).toContain('Photos missing eager derivatives: 0');
  }, 600_000);
});
