import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_TAG } from '../../src/media/process-tag.js';
import { GUEST } from '../../src/access/principal.js';
import { VisibilityService } from '../../src/access/visibility.service.js';
import { DoctorService, doctorFoundProblems, formatDoctorReport } from '../../src/photos/doctor.service.js';
import { PhotoIngestService } from '../../src/photos/photo-ingest.service.js';
import { StorageRecoveryService } from '../../src/photos/storage-recovery.service.js';
import { createMediaTestApp, jpeg, type MediaTestApp } from '../e2e/media-harness.js';

/** A tag of a process that is gone: our pid with another random part (a previous run). */
const DEAD = `${process.pid}x00000000`;

describe('vitrine doctor (DoctorService) and the start-up storage recovery', () => {
  let t: MediaTestApp;
  let doctor: DoctorService;
  let ids: number[];
  const data = (...p: string[]) => join(t.config.dataDir, ...p);
  const put = (path: string, content: string | Buffer = 'x') => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  };

  beforeAll(async () => {
    t = await createMediaTestApp();
    doctor = t.app.get(DoctorService);
    const album = await t.albums.create({ name: 'Doctor' });
    const ingest = t.app.get(PhotoIngestService);
    ids = [];
    for (let i = 0; i < 3; i++) {
      const r = await ingest.ingest({
        source: { stream: Readable.from([await jpeg(1100 + i)]) },
        originalName: `d${i}.jpg`,
        albumIds: [album.id],
        principal: { kind: 'user', userId: t.users.admin, username: 'root', role: 'admin', privacyLevel: 8 },
      });
      ids.push(r.photo.id);
    }
    await t.jobs.drain();
  });
  afterAll(() => t?.close());

  it('a healthy library has nothing to report', async () => {
    const report = await doctor.run({ repair: false });
    expect(report).toMatchObject({ orphanOriginals: [], orphanDerivativeDirs: [], strayDerivativeTemps: 0, missingOriginals: [], missingDerivatives: [] });
  });

  it('the recovery removes only what dead processes left: intent originals without a row and their spool files', async () => {
    const sha = 'ab'.repeat(32);
    put(data('originals', 'ab', 'ab', `${sha}.jpg`), await jpeg(1200));
    put(data('tmp', `intent-${DEAD}-${sha}.jpg`), '');
    put(data('tmp', `upload-${DEAD}-${'0'.repeat(32)}.part`));
    put(data('tmp', `upload-${PROCESS_TAG}-${'1'.repeat(32)}.part`)); // ours, in flight
    put(data('tmp', 'ws-chunk-somebody-else')); // not ours to judge
    const report = await t.app.get(StorageRecoveryService).recover();
    expect(report).toEqual({ orphanOriginals: [`originals/ab/ab/${sha}.jpg`], requeuedDerivatives: 0, abandonedSpools: 1 });
    expect(existsSync(data('originals', 'ab', 'ab', `${sha}.jpg`))).toBe(false);
    expect(existsSync(data('tmp', `intent-${DEAD}-${sha}.jpg`))).toBe(false);
    expect(existsSync(data('tmp', `upload-${PROCESS_TAG}-${'1'.repeat(32)}.part`))).toBe(true);
    expect(existsSync(data('tmp', 'ws-chunk-somebody-else'))).toBe(true);
  });

  it('reports orphans, missing originals and missing derivatives; --repair fixes them and flags (never deletes) photos without an original', async () => {
    const orphanSha = 'cd'.repeat(32);
    put(data('originals', 'cd', 'cd', `${orphanSha}.png`));
    // Older than the grace period Postgres gives in-flight ingests of other processes.
    const anHourAgo = new Date(Date.now() - 3600_000);
    utimesSync(data('originals', 'cd', 'cd', `${orphanSha}.png`), anHourAgo, anHourAgo);
    put(data('derivatives', '0', '999', 'thumb.jpg'));
    const strayTemp = data('derivatives', '0', String(ids[0]), `thumb.jpg.${DEAD}.abcdef123456.tmp`);
    put(strayTemp);
    const [{ storage_key: lostKey }] = await t.db.dataSource.query(`SELECT storage_key FROM photos WHERE id = $1`, [ids[1]]);
    const lostPath = data(...String(lostKey).split('/'));
    const lostBytes = readFileSync(lostPath);
    await unlink(lostPath);
    const visibility = t.app.get(VisibilityService);
    expect(await visibility.filterPhotoIds(GUEST, ids)).toEqual(ids);
    await unlink(data('derivatives', '0', String(ids[2]), 'thumb.jpg'));

    const found = await doctor.run({ repair: false });
    expect(found.orphanOriginals).toEqual([`originals/cd/cd/${orphanSha}.png`]);
    expect(found.orphanDerivativeDirs).toEqual([999]);
    expect(found.strayDerivativeTemps).toBe(1);
    expect(found.missingOriginals).toEqual([ids[1]]);
    expect(found.missingDerivatives).toEqual([ids[2]]);
    expect(existsSync(data('originals', 'cd', 'cd', `${orphanSha}.png`))).toBe(true); // report only
    expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`))[0].n).toBe(3);

    const fixed = await doctor.run({ repair: true });
    expect(fixed.requeued).toBe(1);
    expect(fixed.purged).toBe(0);
    expect(formatDoctorReport(fixed)).toContain('flagged missing');
    expect(existsSync(data('originals', 'cd', 'cd', `${orphanSha}.png`))).toBe(false);
    expect(existsSync(data('derivatives', '0', '999'))).toBe(false);
    expect(existsSync(strayTemp)).toBe(false);
    // The row stays (with its albums and derivatives), flagged and hidden from visitors.
    expect((await t.db.dataSource.query(`SELECT id FROM photos ORDER BY id`)).map((r: { id: number }) => r.id)).toEqual(ids);
    const flagged = await t.db.dataSource.query(`SELECT id FROM photos WHERE missing_since IS NOT NULL`);
    expect(flagged.map((r: { id: number }) => r.id)).toEqual([ids[1]]);
    expect(await visibility.filterPhotoIds(GUEST, ids)).toEqual([ids[0], ids[2]]);
    expect(existsSync(data('derivatives', '0', String(ids[1]), 'thumb.jpg'))).toBe(true);
    // Administrators still see it: its built sizes are served, a size that would need the original is a 404 (not a 500).
    const admin = request(t.app.getHttpServer());
    await admin.get(`/media/photos/${ids[1]}/thumb.jpg`).set('X-Test-As', 'admin').expect(200);
    await admin.get(`/media/photos/${ids[1]}/large.jpg`).set('X-Test-As', 'admin').expect(404);
    await request(t.app.getHttpServer()).get(`/media/photos/${ids[1]}/thumb.jpg`).expect(404); // visitors: hidden
    await t.jobs.drain();
    expect(existsSync(data('derivatives', '0', String(ids[2]), 'thumb.jpg'))).toBe(true);

    // Still missing on the next run: reported as flagged, nothing new to flag, not deleted.
    const again = await doctor.run({ repair: false });
    expect(again).toMatchObject({ orphanOriginals: [], orphanDerivativeDirs: [], strayDerivativeTemps: 0, missingOriginals: [], flaggedMissing: [ids[1]], restoredOriginals: [], missingDerivatives: [] });
    expect(doctorFoundProblems(again)).toBe(true);
    await doctor.run({ repair: true });
    expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`))[0].n).toBe(3);

    // The disk comes back: the next repair clears the flag and the photo is visible again.
    put(lostPath, lostBytes);
    const back = await doctor.run({ repair: false });
    expect(back.restoredOriginals).toEqual([ids[1]]);
    expect(await visibility.filterPhotoIds(GUEST, ids)).toEqual([ids[0], ids[2]]); // a plain run only reports
    const restored = await doctor.run({ repair: true });
    expect(restored.restoredOriginals).toEqual([ids[1]]);
    expect(await visibility.filterPhotoIds(GUEST, ids)).toEqual(ids);

    const clean = await doctor.run({ repair: false });
    expect(clean).toMatchObject({ orphanOriginals: [], orphanDerivativeDirs: [], strayDerivativeTemps: 0, missingOriginals: [], flaggedMissing: [], restoredOriginals: [], missingDerivatives: [] });
    expect(doctorFoundProblems(clean)).toBe(false);
  });

  it('--purge-missing deletes photos whose original is gone (flagged earlier or not), keeping album counts exact', async () => {
    const keys = await t.db.dataSource.query(`SELECT id, storage_key FROM photos WHERE id = ANY($1::int[]) ORDER BY id`, [[ids[0], ids[1]]]);
    await unlink(data(...String(keys[0].storage_key).split('/')));
    await doctor.run({ repair: true }); // flags ids[0]
    await unlink(data(...String(keys[1].storage_key).split('/')));
    const report = await doctor.run({ repair: true, purgeMissing: true });
    expect(report.purged).toBe(2);
    expect(formatDoctorReport(report)).toContain('rows deleted (--purge-missing)');
    expect((await t.db.dataSource.query(`SELECT id FROM photos ORDER BY id`)).map((r: { id: number }) => r.id)).toEqual([ids[2]]);
    const [{ photo_count }] = await t.db.dataSource.query(`SELECT photo_count FROM albums WHERE name = 'Doctor'`);
    expect(photo_count).toBe(1);
    // Without --repair, purgeMissing changes nothing.
    const dry = await doctor.run({ repair: false, purgeMissing: true });
    expect(dry.purged).toBe(0);
  });

  it('an intent a dead process left after its commit queues the eager derivatives of that photo', async () => {
    // A crash between the commit and the writing of the eager sizes: the row exists, the files do not.
    const album = await t.albums.create({ name: 'Crashed after commit' });
    const { photo } = await t.app.get(PhotoIngestService).ingest({ source: { stream: Readable.from([await jpeg(1300)]) }, originalName: 'c.jpg', albumIds: [album.id], principal: GUEST });
    const sha: string = ((await t.db.dataSource.query(`SELECT sha256 FROM photos WHERE id = $1`, [photo.id])) as { sha256: string }[])[0]!.sha256.trim();
    const eager = ['square.jpg', 'thumb.jpg', 'medium.jpg'].map((f) => data('derivatives', '0', String(photo.id), f));
    for (const f of eager) await unlink(f);
    put(data('tmp', `intent-${DEAD}-${sha}.jpg`), '');
    const report = await t.app.get(StorageRecoveryService).recover();
    expect(report).toMatchObject({ orphanOriginals: [], requeuedDerivatives: 1 });
    expect(existsSync(data('tmp', `intent-${DEAD}-${sha}.jpg`))).toBe(false);
    expect(await t.jobs.drain()).toBeGreaterThanOrEqual(1);
    expect(eager.filter((f) => !existsSync(f))).toEqual([]);
  });
});
