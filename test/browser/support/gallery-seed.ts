import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Principal } from '../../../src/access/principal.js';
import { JOB_QUEUE, type JobRunner } from '../../../src/jobs/job-queue.js';
import { PhotoIngestService } from '../../../src/photos/photo-ingest.service.js';
import { UserService } from '../../../src/users/user.service.js';
import type { TestApp } from '../../support/test-app.js';

/** Seed helpers for browser tests: real accounts (log in through the form) and real JPEGs. */

export interface SeededUser {
  id: number;
  username: string;
  password: string;
  principal: Principal;
}

/** Creates an account with a password through `UserService` (so `/login` works for it). */
export async function createUser(
  t: TestApp,
  username: string,
  options: { password?: string; role?: 'admin' | 'contributor' | 'member'; privacyLevel?: 0 | 1 | 2 | 4 | 8 } = {},
): Promise<SeededUser> {
  const password = options.password ?? `pw-${username}-Vitrine!`;
  const role = options.role ?? 'member';
  const privacyLevel = options.privacyLevel ?? (role === 'admin' ? 8 : 0);
  const user = await t.app.get(UserService).create({ username, password, role, privacyLevel });
  return { id: user.id, username, password, principal: { kind: 'user', userId: user.id, username, role, privacyLevel } };
}

// Landscape-like palettes: sky top, sky bottom, far hills, near hills, ground.
const PALETTES = [
  ['#1d3557', '#f4a261', '#6d597a', '#355070', '#1b263b'],
  ['#89c2d9', '#e9f5db', '#84a98c', '#52796f', '#2f3e46'],
  ['#0b132b', '#5bc0be', '#3a506b', '#1c2541', '#0b132b'],
  ['#ffb4a2', '#ffcdb2', '#b5838d', '#6d6875', '#3d3447'],
  ['#a8dadc', '#f1faee', '#8d99ae', '#457b9d', '#1d3557'],
  ['#3d405b', '#f2cc8f', '#e07a5f', '#81b29a', '#283618'],
  ['#d8e2dc', '#ffe5d9', '#9d8189', '#6b705c', '#3a3a2e'],
  ['#264653', '#e9c46a', '#2a9d8f', '#1f6f67', '#102a2e'],
] as const;

/**
 * A photograph-like JPEG (gradient sky, a glowing sun, three ridges of hills) whose look depends on
 * `seed`, so screenshots show something a photographer would recognise. Drawn as raw pixels (the
 * app blocks sharp's SVG loader process-wide) at half the size, then upscaled and softened.
 */
export async function landscapeJpeg(seed: number, width = 1800, height = 1200): Promise<Buffer> {
  const w = Math.round(width / 2);
  const h = Math.round(height / 2);
  const [skyTop, skyLow, far, near, ground] = PALETTES[seed % PALETTES.length]!.map(rgb);
  const rand = (n: number) => (((Math.sin(seed * 97.13 + n * 12.9898) * 43758.5453) % 1) + 1) % 1;
  const ridges = [
    { base: 0.58, amp: 0.07, freq: 2 + rand(3) * 2, phase: rand(4) * 6, color: far!, alpha: 0.85 },
    { base: 0.7, amp: 0.05, freq: 3 + rand(5) * 3, phase: rand(6) * 6, color: near!, alpha: 1 },
    { base: 0.86, amp: 0.025, freq: 5 + rand(7) * 3, phase: rand(8) * 6, color: ground!, alpha: 1 },
  ];
  const sunX = w * (0.2 + rand(1) * 0.6);
  const sunY = h * (0.18 + rand(2) * 0.22);
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = y / h;
      let c = mix(skyTop!, skyLow!, Math.min(1, t * 1.4));
      const d = Math.hypot(x - sunX, y - sunY) / h;
      const glow = Math.max(0, 1 - d / 0.25) ** 2 * 0.8 + (d < 0.045 ? 0.9 : 0);
      c = mix(c, [255, 248, 231], Math.min(1, glow));
      for (const r of ridges) {
        const top = h * (r.base + Math.sin((x / w) * Math.PI * r.freq + r.phase) * r.amp + Math.sin((x / w) * Math.PI * r.freq * 3.7) * r.amp * 0.25);
        if (y >= top) c = mix(c, mix(r.color, [0, 0, 0], Math.min(0.35, (y - top) / h)), r.alpha);
      }
      px.set(c.map(Math.round), (y * w + x) * 3);
    }
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } }).resize(width, height, { kernel: 'cubic' }).blur(1.2).jpeg({ quality: 82 }).toBuffer();
}

type Rgb = [number, number, number];
function rgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
function mix(a: Rgb, b: Rgb, k: number): Rgb {
  return [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k];
}

export interface PhotoSpec {
  title: string;
  description?: string;
  tags?: string[];
  /** Portrait photos make justified rows interesting. */
  portrait?: boolean;
}

/**
 * Uploads photos through `PhotoIngestService` (the same path as the upload API), links them to
 * `albumIds`, then drains the job queue so derivatives and placeholders exist. Returns photo ids.
 */
export async function ingestPhotos(t: TestApp, albumIds: number[], specs: PhotoSpec[], principal: Principal, seedBase = 0): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-browser-photos-'));
  const ingest = t.app.get(PhotoIngestService);
  const ids: number[] = [];
  for (const [i, spec] of specs.entries()) {
    const seed = seedBase + i;
    const bytes = spec.portrait ? await landscapeJpeg(seed, 1000, 1500) : await landscapeJpeg(seed);
    const path = join(dir, `photo-${seed}.jpg`);
    writeFileSync(path, bytes);
    const result = await ingest.ingest({
      source: { tempPath: path },
      originalName: `DSCF${String(1000 + seed)}.jpg`,
      albumIds,
      title: spec.title,
      description: spec.description ?? null,
      tags: spec.tags ?? [],
      principal,
    });
    ids.push(result.photo.id);
  }
  await t.app.get<JobRunner>(JOB_QUEUE).drain();
  return ids;
}
