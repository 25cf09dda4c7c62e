import { existsSync, mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_STRATEGY, type StorageStrategy } from '../../src/media/storage.strategy.js';
import { PROCESS_TAG } from '../../src/media/process-tag.js';
import { EAGER_DERIVATIVES_JOB } from '../../src/photos/eager-derivatives.writer.js';
import { PhotoIngestService } from '../../src/photos/photo-ingest.service.js';
import { createMediaTestApp, jpeg, type MediaTestApp } from '../e2e/media-harness.js';

/** A tag of a process that is gone: our pid with another random part (a previous run). */
const DEAD = `${process.pid}x00000000`;

describe('the derivatives.eager job after a crash', () => {
  let t: MediaTestApp;
  let storage: StorageStrategy;
  let photoId: number;

  beforeAll(async () => {
    t = await createMediaTestApp();
    storage = t.app.get<StorageStrategy>(STORAGE_STRATEGY);
    const album = await t.albums.create({ name: 'Crash' });
    const r = await t.app.get(PhotoIngestService).ingest({
      source: { stream: Readable.from([await jpeg(1300)]) },
      originalName: 'crash.jpg',
      albumIds: [album.id],
      principal: { kind: 'user', userId: t.users.admin, username: 'root', role: 'admin', privacyLevel: 8 },
    });
    photoId = r.photo.id;
    await t.jobs.drain();
  });
  afterAll(() => t?.close());

  it('rebuilds the interrupted sizes and removes the temp files the dead process left, not those of live ones', async () => {
    // What kill -9 in the middle of the eager writes leaves: a half-written temp, a missing size,
    // no placeholder yet (it is saved after the files).
    const thumb = storage.derivativePath(photoId, 'thumb', 'jpg');
    const dir = dirname(thumb);
    unlinkSync(thumb);
    const dead = `thumb.jpg.${DEAD}.0123456789ab.tmp`;
    const live = `medium.jpg.${PROCESS_TAG}.0123456789ab.tmp`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/${dead}`, 'half a jpeg');
    writeFileSync(`${dir}/${live}`, 'being written by us');
    await t.db.dataSource.query(`UPDATE photos SET blur_placeholder = NULL WHERE id = $1`, [photoId]);

    // The storage recovery queues the job at the next start (the dead process's ingest intent).
    expect(await t.jobs.enqueue(EAGER_DERIVATIVES_JOB, { photoId }, { singletonKey: `photo:${photoId}` })).toEqual(expect.any(String));
    expect(await t.jobs.drain()).toBe(1);

    expect(existsSync(thumb)).toBe(true);
    const files = readdirSync(dir);
    expect(files).not.toContain(dead);
    expect(files).toContain(live);
    const [row] = (await t.db.dataSource.query(`SELECT blur_placeholder FROM photos WHERE id = $1`, [photoId])) as { blur_placeholder: string | null }[];
    expect(row?.blur_placeholder).toMatch(/^data:image\/webp;base64,/);
  });
});
