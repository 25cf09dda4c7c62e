import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, withDatabase } from '../support/global-setup.js';
import { freePort, spawnVitrine, type VitrineProcess } from '../support/spawn-vitrine.js';

const pgUrl = process.env.DATABASE_URL;

/** A logged-in HTTP client of a real server (session cookie + CSRF token). */
async function login(base: string, password: string): Promise<(path: string, init?: RequestInit) => Promise<Response>> {
  const res = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  if (res.status >= 300) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (path, init = {}) => fetch(`${base}${path}`, { ...init, headers: { cookie, 'x-csrf-token': csrfToken, ...(init.headers as Record<string, string>) } });
}

describe('a tus upload survives a server crash', () => {
  let dir: string;
  let dbName: string | undefined;
  let server: VitrineProcess | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-tus-'));
    if (pgUrl) {
      dbName = `vitrine_tus_${process.pid}_${Date.now()}`;
      await adminQuery(pgUrl, `CREATE DATABASE ${dbName}`);
    }
  });
  afterAll(async () => {
    if (server?.proc.exitCode === null) server.proc.kill('SIGKILL');
    if (pgUrl && dbName) await adminQuery(pgUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('upload half, kill -9, restart on the same data dir, HEAD gives the offset, finish, derivatives get built', async () => {
    const port = await freePort();
    const env = { DATA_DIR: join(dir, 'data'), PORT: String(port), ADMIN_PASSWORD: 'a long password', DATABASE_URL: pgUrl && dbName ? withDatabase(pgUrl, dbName) : undefined };
    const base = `http://127.0.0.1:${port}`;
    server = spawnVitrine(env);
    await server.waitForOutput(/Stop with Ctrl-C/);
    let http = await login(base, 'a long password');
    const album = await http('/api/v1/albums', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Crash' }) });
    expect(album.status).toBe(201);
    const albumId = ((await album.json()) as { id: number }).id;

    const bytes = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#336699' } }).jpeg({ quality: 90 }).toBuffer();
    const created = await http('/api/v1/uploads/tus', {
      method: 'POST',
      headers: { 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length), 'upload-metadata': `albumIds ${Buffer.from(String(albumId)).toString('base64')},filename ${Buffer.from('crash.jpg').toString('base64')}` },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const location = created.headers.get('location')!;
    const half = Math.floor(bytes.length / 2);
    const first = await http(location, { method: 'PATCH', headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: bytes.subarray(0, half) });
    expect(first.status).toBe(204);

    server.proc.kill('SIGKILL');
    await server.exited();
    server = spawnVitrine(env);
    await server.waitForOutput(/Stop with Ctrl-C/);
    http = await login(base, 'a long password');

    const head = await http(location, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(half));
    const rest = await http(location, {
      method: 'PATCH',
      headers: { 'tus-resumable': '1.0.0', 'upload-offset': String(half), 'content-type': 'application/offset+octet-stream' },
      body: bytes.subarray(half),
    });
    expect(rest.status, await rest.clone().text()).toBe(204);
    const photoId = Number(rest.headers.get('vitrine-photo-id'));
    expect(photoId).toBeGreaterThan(0);
    const status = (await (await http(location)).json()) as { state: string; photo: { id: number; width: number } };
    expect(status).toMatchObject({ state: 'completed', photo: { id: photoId, width: 1200 } });

    // The eager derivative job runs in the background of the real server.
    let thumb: Response | undefined;
    for (let i = 0; i < 100; i++) {
      const jobs = await http(`/media/photos/${photoId}/thumb.jpg`);
      if (jobs.status === 200) {
        thumb = jobs;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(thumb?.status).toBe(200);
    const original = await http(`/media/photos/${photoId}/original`);
    expect(Buffer.from(await original.arrayBuffer()).equals(bytes)).toBe(true);
    server.proc.kill('SIGTERM');
    expect(await server.exited()).toBe(0);
  });
});
