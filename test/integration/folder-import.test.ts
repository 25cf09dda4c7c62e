import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderImportService } from '../../src/importers/folder-import.service.js';
import { createMediaTestApp, jpeg, type MediaTestApp } from '../e2e/media-harness.js';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('FolderImportService (vitrine import, folder-importer plugin)', () => {
  let t: MediaTestApp;
  let importer: FolderImportService;
  let src: string;
  beforeAll(async () => {
    t = await createMediaTestApp();
    importer = t.app.get(FolderImportService);
    src = mkdtempSync(join(tmpdir(), 'vitrine-import-src-'));
    mkdirSync(join(src, '2024', 'Lisbon'), { recursive: true });
    mkdirSync(join(src, '.cache'));
    writeFileSync(join(src, 'a.jpg'), await jpeg(701));
    writeFileSync(join(src, 'b.jpg'), await jpeg(702));
    writeFileSync(join(src, '2024', 'c.jpg'), await jpeg(703));
    writeFileSync(join(src, '2024', 'Lisbon', 'd.jpg'), await jpeg(704));
    writeFileSync(join(src, '2024', 'Lisbon', 'same-as-a.jpg'), await jpeg(701));
    writeFileSync(join(src, 'notes.jpg'), '<html><body>not a photo</body></html>');
    writeFileSync(join(src, 'broken.jpg'), (await jpeg(705)).subarray(0, 400));
    writeFileSync(join(src, '.cache', 'hidden.jpg'), await jpeg(706));
    symlinkSync(join(src, 'a.jpg'), join(src, 'link.jpg'));
  });
  afterAll(() => t?.close());

  it('scans: only the top level by default; recursive with album paths from folders; hidden and symlinks skipped', async () => {
    const flat = await importer.scan(src);
    expect(flat.items.map((i) => i.displayPath)).toEqual(['a.jpg', 'b.jpg', 'broken.jpg', 'notes.jpg']);
    expect(flat.skipped.map((s) => `${s.displayPath}:${s.reason}`).sort()).toEqual(['.cache:hidden', '2024:subfolder', 'link.jpg:symlink']);
    const deep = await importer.scan(src, { recursive: true, albumsFromFolders: true });
    expect(deep.items.map((i) => [i.displayPath, i.albumPath.join('/')])).toEqual([
      ['2024/Lisbon/d.jpg', '2024/Lisbon'],
      ['2024/Lisbon/same-as-a.jpg', '2024/Lisbon'],
      ['2024/c.jpg', '2024'],
      ['a.jpg', ''],
      ['b.jpg', ''],
      ['broken.jpg', ''],
      ['notes.jpg', ''],
    ]);
    await expect(importer.scan(join(src, 'missing'))).rejects.toMatchObject({ code: 'import.folder_not_found' });
  });

  it('imports into an album tree, skips by content with reasons, leaves sources untouched; a rerun imports nothing', async () => {
    const before = readFileSync(join(src, 'a.jpg'));
    const scan = await importer.scan(src, { recursive: true, albumsFromFolders: true });
    const summary = await importer.importItems(scan.items, { albumName: 'Holidays' }, { concurrency: 2 });
    expect(summary).toMatchObject({ total: 7, imported: 4, failed: 0, notStarted: 0 });
    expect(summary.skipped).toEqual({ 'already-imported': 1, 'not-an-image': 1, 'too-large': 0, refused: 1 });
    expect(summary.problems.find((p) => p.item.name === 'broken.jpg')).toMatchObject({ status: 'skipped', reason: 'refused' });
    expect(readFileSync(join(src, 'a.jpg')).equals(before)).toBe(true);

    const albums: { name: string; parent: string | null; photo_count: number }[] = await t.db.dataSource.query(
      `SELECT a.name, p.name AS parent, a.photo_count FROM albums a LEFT JOIN albums p ON p.id = a.parent_id WHERE a.name IN ('Holidays', '2024', 'Lisbon') ORDER BY a.id`,
    );
    expect(albums).toEqual([
      { name: 'Holidays', parent: null, photo_count: 2 },
      { name: '2024', parent: 'Holidays', photo_count: 1 },
      { name: 'Lisbon', parent: '2024', photo_count: 2 },
    ]);
    const photos: { n: number }[] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`);
    expect(photos[0]!.n).toBe(4);
    expect(await filesUnder(join(t.config.dataDir, 'originals'))).toHaveLength(4);
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]);

    const again = await importer.importItems(scan.items, { albumName: 'Holidays' }, { concurrency: 2 });
    expect(again.imported).toBe(0);
    expect(again.skipped['already-imported']).toBe(5);
    expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM albums WHERE name = 'Holidays'`))[0].n).toBe(1);
  });

  it('stops on abort without half-written photos, and the next run finishes the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-import-abort-'));
    for (let i = 0; i < 8; i++) writeFileSync(join(dir, `p${i}.jpg`), await jpeg(800 + i));
    const scan = await importer.scan(dir);
    const abort = new AbortController();
    const first = await importer.importItems(scan.items, { albumName: 'Abort' }, { concurrency: 2, signal: abort.signal, onOutcome: () => abort.abort() });
    expect(first.imported).toBeGreaterThanOrEqual(1);
    expect(first.imported).toBeLessThan(8);
    expect(first.notStarted).toBe(8 - first.imported);
    const second = await importer.importItems(scan.items, { albumName: 'Abort' }, { concurrency: 2 });
    expect(second.imported).toBe(8 - first.imported);
    expect(second.skipped['already-imported']).toBe(first.imported);
    const unreferenced: { n: number }[] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`);
    expect(await filesUnder(join(t.config.dataDir, 'originals'))).toHaveLength(unreferenced[0]!.n);
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]);
    // Every imported photo got its eager sizes inline (none left to a job).
    const photoIds: { id: number }[] = await t.db.dataSource.query(`SELECT id FROM photos`);
    const eager = ['medium.jpg', 'square.jpg', 'thumb.jpg'];
    const missing = photoIds.filter(({ id }) => eager.some((f) => !existsSync(join(t.config.dataDir, 'derivatives', String(Math.floor(id / 1000)), String(id), f))));
    expect(missing).toEqual([]);
    expect(await t.jobs.list({ name: 'derivatives.eager' })).toEqual([]);
  });
});
