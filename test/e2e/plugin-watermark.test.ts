import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShareLinkService } from '../../src/access/share-link.service.js';
import { createMediaTestApp, jpeg, type MediaTestApp } from './media-harness.js';

/** Mean absolute difference per channel between two images (0–255), in their bottom-right (default) or top-left quarter. */
async function difference(a: Buffer, b: Buffer, corner: 'bottom-right' | 'top-left' = 'bottom-right'): Promise<number> {
  const { width = 0, height = 0 } = await sharp(a).metadata();
  const region = { width: Math.floor(width / 2), height: Math.floor(height / 4), left: corner === 'top-left' ? 0 : Math.ceil(width / 2), top: corner === 'top-left' ? 0 : height - Math.floor(height / 4) };
  const [x, y] = await Promise.all([a, b].map((img) => sharp(img).extract(region).removeAlpha().raw().toBuffer()));
  let sum = 0;
  for (let i = 0; i < x!.length; i++) sum += Math.abs(x![i]! - y![i]!);
  return sum / x!.length;
}

describe('watermark plugin, end to end', () => {
  let t: MediaTestApp;
  let photo: number;
  const http = () => request(t.app.getHttpServer());
  const get = (path: string, as?: string) => {
    const r = http().get(path).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    return as ? r.set('X-Test-As', as) : r;
  };

  beforeAll(async () => {
    t = await createMediaTestApp({ PLUGINS_ENABLE: 'watermark' });
    const open = await t.albums.create({ name: 'Open' });
    const res = await http().post('/api/v1/photos').set('X-Test-As', 'admin').field('albumIds', String(open.id)).attach('file', await jpeg(5, 1200, 900), 'a.jpg');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    photo = res.body.photos[0].id;
    await t.jobs.drain();
  });
  afterAll(() => t?.close());

  it('guests (no download right) get a watermarked medium, signed-in users the clean one; never the other', async () => {
    const guest = await get(`/media/photos/${photo}/medium.jpg`);
    const member = await get(`/media/photos/${photo}/medium.jpg`, 'member');
    expect(guest.status).toBe(200);
    expect(member.status).toBe(200);
    expect(guest.headers['etag']).not.toBe(member.headers['etag']);
    expect(await difference(guest.body, member.body)).toBeGreaterThan(2);
    expect(await difference(guest.body, member.body, 'top-left')).toBeLessThan(1);

    // Both cached now: asking again in the other order still gives each their own file.
    const member2 = await get(`/media/photos/${photo}/medium.jpg`, 'member');
    const guest2 = await get(`/media/photos/${photo}/medium.jpg`);
    expect(member2.body.equals(member.body)).toBe(true);
    expect(guest2.body.equals(guest.body)).toBe(true);
    expect(member2.headers['etag']).toBe(member.headers['etag']);

    // The clean file is what the eager job built; the watermarked one sits next to it.
    const files = await readdir(join(t.config.dataDir, 'derivatives', '0', String(photo)));
    expect(files).toContain('medium.jpg');
    expect(files.filter((f) => /^medium@[0-9a-f]{16}\.jpg$/.test(f))).toHaveLength(1);
  });

  it('a guest revalidating with the clean ETag gets the watermarked bytes, not a 304', async () => {
    const member = await get(`/media/photos/${photo}/medium.jpg`, 'member');
    const guest = await get(`/media/photos/${photo}/medium.jpg`).set('If-None-Match', member.headers['etag']!);
    expect(guest.status).toBe(200);
    expect(guest.headers['etag']).not.toBe(member.headers['etag']);
  });

  it('responses that depend on the right are private and vary on credentials', async () => {
    for (const as of [undefined, 'member']) {
      const res = await get(`/media/photos/${photo}/medium.jpg`, as);
      expect(res.headers['cache-control']).toBe('private, no-cache');
      expect(res.headers['vary']).toMatch(/Cookie/);
    }
  });

  it('sizes not chosen (thumb) stay clean and publicly cacheable for everyone', async () => {
    const guest = await get(`/media/photos/${photo}/thumb.jpg`);
    const member = await get(`/media/photos/${photo}/thumb.jpg`, 'member');
    expect(guest.headers['etag']).toBe(member.headers['etag']);
    expect(guest.body.equals(member.body)).toBe(true);
    expect(guest.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('share-link visitors: with the download right the clean image, without it the watermarked one', async () => {
    const secret = await t.albums.create({ name: 'Client', status: 'private' });
    const up = await http().post('/api/v1/photos').set('X-Test-As', 'admin').field('albumIds', String(secret.id)).attach('file', await jpeg(6, 1200, 900), 'b.jpg');
    const id = up.body.photos[0].id as number;
    await t.jobs.drain();
    const shares = t.app.get(ShareLinkService);
    const etagVia = async (allowDownload: boolean) => {
      const { token } = await shares.create({ albumId: secret.id, allowDownload });
      const agent = request.agent(t.app.getHttpServer());
      await agent.get(`/s/${token}`).expect(200);
      const res = await agent.get(`/media/photos/${id}/medium.jpg`).expect(200);
      return res.headers['etag'];
    };
    const clean = (await get(`/media/photos/${id}/medium.jpg`, 'admin').expect(200)).headers['etag'];
    expect(await etagVia(true)).toBe(clean);
    expect(await etagVia(false)).not.toBe(clean);
  });

  it('WebP requests are watermarked too, in WebP', async () => {
    const guest = await get(`/media/photos/${photo}/large.webp`);
    const member = await get(`/media/photos/${photo}/large.webp`, 'member');
    expect(guest.headers['content-type']).toBe('image/webp');
    expect((await sharp(guest.body).metadata()).format).toBe('webp');
    expect(await difference(guest.body, member.body)).toBeGreaterThan(2);
  });
});
