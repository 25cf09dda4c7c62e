import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaTestApp, jpeg, type MediaTestApp } from './media-harness.js';

describe('GET /media/photos/:id/…', () => {
  let t: MediaTestApp;
  let publicPhoto: number;
  let privatePhoto: number;
  const http = () => request(t.app.getHttpServer());

  async function upload(albumId: number, seed: number, name: string): Promise<number> {
    const res = await http().post('/api/v1/photos').set('X-Test-As', 'admin').field('albumIds', String(albumId)).attach('file', await jpeg(seed), name);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.photos[0].id;
  }

  beforeAll(async () => {
    t = await createMediaTestApp();
    const open = await t.albums.create({ name: 'Open' });
    const hidden = await t.albums.create({ name: 'Hidden', status: 'private' });
    publicPhoto = await upload(open.id, 11, 'été à Paris "quoted".jpeg');
    privatePhoto = await upload(hidden.id, 12, 'secret.jpg');
    await t.jobs.drain();
  });
  afterAll(() => t?.close());

  it('serves a guest-visible derivative with ETag, immutable public caching and 304', async () => {
    const res = await http().get(`/media/photos/${publicPhoto}/thumb.jpg`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const etag = res.headers['etag'];
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await http().get(`/media/photos/${publicPhoto}/thumb.jpg`).set('If-None-Match', etag);
    expect(again.status).toBe(304);
  });

  it('negotiates WebP on the extension-less URL, with Vary: Accept, building lazy sizes on demand', async () => {
    const webp = await http().get(`/media/photos/${publicPhoto}/small`).set('Accept', 'image/avif,image/webp,*/*');
    expect(webp.status).toBe(200);
    expect(webp.headers['content-type']).toBe('image/webp');
    expect(webp.headers['vary']).toBe('Accept');
    const jpg = await http().get(`/media/photos/${publicPhoto}/small`).set('Accept', 'image/*');
    expect(jpg.headers['content-type']).toBe('image/jpeg');
    expect(jpg.headers['etag']).not.toBe(webp.headers['etag']);
  });

  it('builds one file per (photo, size, format) even under concurrent first requests', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => http().get(`/media/photos/${publicPhoto}/large.avif`)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.headers['content-length'])).size).toBe(1);
  });

  it('answers a private photo to a guest exactly like a missing id', async () => {
    const hidden = await http().get(`/media/photos/${privatePhoto}/thumb.jpg`);
    const missing = await http().get(`/media/photos/999999/thumb.jpg`);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
    expect(strip(hidden.body)).toEqual(strip(missing.body));
    expect(hidden.headers['content-type']).toBe(missing.headers['content-type']);
    expect((await http().get(`/media/photos/${privatePhoto}/original`)).status).toBe(404);
    expect((await http().get(`/media/photos/abc/thumb.jpg`)).status).toBe(404);
    expect((await http().get(`/media/photos/${publicPhoto}/nosuchsize.jpg`)).status).toBe(404);
  });

  it('serves a private photo to an administrator with private caching', async () => {
    const res = await http().get(`/media/photos/${privatePhoto}/medium.jpg`).set('X-Test-As', 'admin');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
  });

  it('serves originals only with the download right, as an attachment with an RFC 6266 name', async () => {
    const guest = await http().get(`/media/photos/${publicPhoto}/original`);
    expect(guest.status).toBe(403);
    expect(guest.headers['content-type']).toMatch(/problem\+json/);
    const member = await http().get(`/media/photos/${publicPhoto}/original`).set('X-Test-As', 'member');
    expect(member.status).toBe(200);
    expect(member.headers['content-type']).toBe('image/jpeg');
    expect(member.headers['content-disposition']).toMatch(/^attachment; filename="[^"\\]+\.jpeg"; filename\*=UTF-8''[^'"\s]+\.jpeg$/);
    expect(decodeURIComponent(member.headers['content-disposition']!.split("''")[1]!)).toBe('été à Paris "quoted".jpeg');
    expect((await http().get(`/media/photos/${privatePhoto}/original`).set('X-Test-As', 'member')).status).toBe(404);
  });
});
