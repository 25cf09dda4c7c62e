import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GUEST, type Principal } from '../../src/access/principal.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { STORAGE_STRATEGY, type StorageStrategy } from '../../src/media/storage.strategy.js';
import { FILES_CLEANUP_JOB, PhotoService } from '../../src/photos/photo.service.js';
import { PhotoIngestService } from '../../src/photos/photo-ingest.service.js';
import { PhotoRepository } from '../../src/photos/photo.repository.js';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { createMediaTestApp, jpeg, type MediaTestApp } from '../e2e/media-harness.js';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name).sort();
}

describe('PhotoIngestService and PhotoService', () => {
  let t: MediaTestApp;
  let ingest: PhotoIngestService;
  let photos: PhotoService;
  let admin: Principal;
  const count = async (sql: string, params: unknown[] = []) => ((await t.db.dataSource.query(sql, params)) as { n: number }[])[0]!.n;
  /** Jobs in any state, through the active queue (pg-boss on Postgres, the table on PGlite). */
  const allJobs = () => t.jobs.list({ limit: 1000 });

  beforeAll(async () => {
    t = await createMediaTestApp();
    ingest = t.app.get(PhotoIngestService);
    photos = t.app.get(PhotoService);
    admin = { kind: 'user', userId: t.users.admin, username: 'root', role: 'admin', privacyLevel: 8 };
  });
  afterAll(() => t?.close());

  it('ingests from a stream with typed columns, added_by and status', async () => {
    const album = await t.albums.create({ name: 'Stream' });
    const { photo, duplicate } = await ingest.ingest({
      source: { stream: Readable.from([await jpeg(21)]) },
      originalName: '../../etc/passwd\u0000.jpg',
      albumIds: [album.id],
      principal: admin,
      status: 'lounge',
    });
    expect(duplicate).toBe(false);
    const rows: { original_name: string; added_by: number; status: string; mime_type: string; file_size: number }[] = await t.db.dataSource.query(
      `SELECT original_name, added_by, status, mime_type, file_size FROM photos WHERE id = $1`,
      [photo.id],
    );
    expect(rows[0]).toMatchObject({ original_name: 'passwd.jpg', added_by: t.users.admin, status: 'lounge', mime_type: 'image/jpeg' });
    expect((await t.albums.get(album.id)).photoCount).toBe(1);
  });

  it('ingests a photo into a sub-album in at most 12 SQL statements, counts right, placeholder in the row', async () => {
    // The hot path of every upload: albums checked, duplicate looked up, one transaction (row with
    // its placeholder, tags, link with counts, job), derivatives written after it without SQL.
    const parent = await t.albums.create({ name: 'Budget parent' });
    const album = await t.albums.create({ name: 'Budget', parentId: parent.id });
    // One upload first: the queue's start-up work and first-use set-up are not per upload.
    await ingest.ingest({ source: { stream: Readable.from([await jpeg(61)]) }, originalName: 'warm.jpg', albumIds: [parent.id], principal: admin });
    const statements: string[] = [];
    const original = PostgresQueryRunner.prototype.query;
    const counting = vi.spyOn(PostgresQueryRunner.prototype, 'query').mockImplementation(function (this: PostgresQueryRunner, ...args: Parameters<PostgresQueryRunner['query']>) {
      statements.push(String(args[0]).trim().split(/\s+/).slice(0, 3).join(' '));
      return original.apply(this, args);
    });
    let result;
    try {
      result = await ingest.ingest({ source: { stream: Readable.from([await jpeg(62)]) }, originalName: 'budget.jpg', albumIds: [album.id], principal: admin, tags: ['one', 'two'] });
    } finally {
      counting.mockRestore();
    }
    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(12);
    expect(statements.filter((s) => /^(START TRANSACTION|BEGIN)/i.test(s))).toHaveLength(1);
    expect((await t.albums.get(album.id)).photoCount).toBe(1);
    expect((await t.albums.get(parent.id)).totalPhotoCount).toBe(2);
    const rows: { blur_placeholder: string | null }[] = await t.db.dataSource.query(`SELECT blur_placeholder FROM photos WHERE id = $1`, [result.photo.id]);
    expect(rows[0]!.blur_placeholder).toMatch(/^data:image\/webp;base64,/);
  });

  it('leaves no row, job, original, derivative or temp file when the transaction fails', async () => {
    const album = await t.albums.create({ name: 'Boom' });
    const before = { photos: await count(`SELECT count(*)::int AS n FROM photos`), jobs: (await allJobs()).length };
    const originalsBefore = await filesUnder(join(t.config.dataDir, 'originals'));
    const derivativesBefore = await filesUnder(join(t.config.dataDir, 'derivatives'));
    const spy = vi.spyOn(AlbumService.prototype, 'linkNewPhoto').mockRejectedValueOnce(new Error('link down'));
    await expect(
      ingest.ingest({ source: { stream: Readable.from([await jpeg(22)]) }, originalName: 'x.jpg', albumIds: [album.id], principal: admin }),
    ).rejects.toThrow('link down');
    spy.mockRestore();
    expect(await count(`SELECT count(*)::int AS n FROM photos`)).toBe(before.photos);
    expect((await allJobs()).length).toBe(before.jobs);
    expect((await t.albums.get(album.id)).photoCount).toBe(0);
    expect(await filesUnder(join(t.config.dataDir, 'originals'))).toEqual(originalsBefore);
    expect(await filesUnder(join(t.config.dataDir, 'derivatives'))).toEqual(derivativesBefore);
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]);
  });

  it('writes the eager sizes before answering and queues no job; when writing fails, the job builds them', async () => {
    const album = await t.albums.create({ name: 'Eager' });
    const eagerFiles = (id: number) => ['medium.jpg', 'square.jpg', 'thumb.jpg'].map((f) => join(t.config.dataDir, 'derivatives', '0', String(id), f));
    const jobsFor = async (id: number) => (await allJobs()).filter((j) => j.name === 'derivatives.eager' && j.payload.photoId === id);

    const written = await ingest.ingest({ source: { stream: Readable.from([await jpeg(63)]) }, originalName: 'w.jpg', albumIds: [album.id], principal: admin });
    expect(eagerFiles(written.photo.id).filter((f) => !existsSync(f))).toEqual([]);
    expect(await jobsFor(written.photo.id)).toEqual([]);
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]); // the intent is gone

    const storage = t.app.get<StorageStrategy>(STORAGE_STRATEGY);
    const spy = vi.spyOn(storage, 'derivativePath').mockImplementationOnce(() => {
      throw new Error('disk full');
    });
    const failed = await ingest.ingest({ source: { stream: Readable.from([await jpeg(64)]) }, originalName: 'f.jpg', albumIds: [album.id], principal: admin });
    spy.mockRestore();
    expect(eagerFiles(failed.photo.id).filter((f) => existsSync(f))).toEqual([]);
    expect(await jobsFor(failed.photo.id)).toHaveLength(1);
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]);
    await t.jobs.drain();
    expect(eagerFiles(failed.photo.id).filter((f) => !existsSync(f))).toEqual([]);
  });

  it('stores concurrent uploads of the same content once (the loser links as a duplicate)', async () => {
    const album = await t.albums.create({ name: 'Race' });
    const bytes = await jpeg(23);
    const results = await Promise.all(
      [0, 1, 2].map(() => ingest.ingest({ source: { stream: Readable.from([bytes]) }, originalName: 'r.jpg', albumIds: [album.id], principal: GUEST })),
    );
    expect(new Set(results.map((r) => r.photo.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect((await t.albums.get(album.id)).photoCount).toBe(1);
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]);
  });

  it('treats a unique violation on sha256 (lost race) as a duplicate, keeping the stored original', async () => {
    const album = await t.albums.create({ name: 'Lost race' });
    const bytes = await jpeg(26);
    const first = await ingest.ingest({ source: { stream: Readable.from([bytes]) }, originalName: 'a.jpg', albumIds: [album.id], principal: admin });
    const originals = await filesUnder(join(t.config.dataDir, 'originals'));
    // The second request's dedupe check runs "before" the first commit: it sees no row.
    const spy = vi.spyOn(PhotoRepository.prototype, 'findBySha256').mockResolvedValueOnce(undefined);
    const second = await ingest.ingest({ source: { stream: Readable.from([bytes]) }, originalName: 'b.jpg', albumIds: [album.id], principal: admin });
    spy.mockRestore();
    expect(second).toMatchObject({ duplicate: true, photo: { id: first.photo.id } });
    expect(await filesUnder(join(t.config.dataDir, 'originals'))).toEqual(originals);
    expect((await allJobs()).filter((j) => j.payload.photoId === first.photo.id)).toHaveLength(0); // written inline, and the loser's rolled-back transaction queued nothing
  });

  it('deletes photos: rows, album counts, derivatives and the original', async () => {
    const album = await t.albums.create({ name: 'Doomed' });
    const { photo } = await ingest.ingest({ source: { stream: Readable.from([await jpeg(24)]) }, originalName: 'd.jpg', albumIds: [album.id], principal: admin });
    await t.jobs.drain();
    const derivDir = join(t.config.dataDir, 'derivatives', '0', String(photo.id));
    expect(await filesUnder(derivDir)).toEqual(['medium.jpg', 'square.jpg', 'thumb.jpg']);
    const originals = (await filesUnder(join(t.config.dataDir, 'originals'))).length;
    expect(await photos.delete([photo.id, 987654])).toEqual([photo.id]);
    expect(await count(`SELECT count(*)::int AS n FROM photos WHERE id = $1`, [photo.id])).toBe(0);
    expect((await t.albums.get(album.id)).photoCount).toBe(0);
    expect(await filesUnder(derivDir)).toEqual([]);
    expect((await filesUnder(join(t.config.dataDir, 'originals'))).length).toBe(originals - 1);
  });

  it('album deletion removes the files of its photos through a cleanup job', async () => {
    const album = await t.albums.create({ name: 'Gone' });
    const { photo } = await ingest.ingest({ source: { stream: Readable.from([await jpeg(25)]) }, originalName: 'g.jpg', albumIds: [album.id], principal: admin });
    await t.jobs.drain();
    const originals = (await filesUnder(join(t.config.dataDir, 'originals'))).length;
    await t.albums.delete(album.id, 'delete');
    expect((await t.jobs.list({ name: FILES_CLEANUP_JOB, state: 'queued' })).length).toBe(1);
    await t.jobs.drain();
    expect(await filesUnder(join(t.config.dataDir, 'derivatives', '0', String(photo.id)))).toEqual([]);
    // The original is younger than the sweep's grace period: a follow-up sweep was scheduled.
    expect((await t.jobs.list({ name: FILES_CLEANUP_JOB, state: 'queued' })).map((j) => j.singletonKey)).toEqual(['sweep']);
    expect(await photos.sweepOriginals(0)).toEqual({ removed: 1, deferred: 0 });
    expect((await filesUnder(join(t.config.dataDir, 'originals'))).length).toBe(originals - 1);
  });
});
