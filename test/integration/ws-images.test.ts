import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUEST } from '../../src/access/principal.js';
import { VisibilityService } from '../../src/access/visibility.service.js';
import { WsImagesService } from '../../src/ws-images/ws-images.service.js';
import { createMediaTestApp, jpeg, type MediaTestApp } from '../e2e/media-harness.js';
import { exifJpeg, md5, wsImagesHarness } from './ws-images.harness.js';

let t: MediaTestApp;
let ws: ReturnType<typeof wsImagesHarness>;
let albumA: number;
let albumB: number;

const ok = (outcome: Awaited<ReturnType<typeof ws.call>>) => {
  if (!outcome.ok) throw new Error(`ws call failed: ${outcome.error.code} ${outcome.error.message}`);
  return outcome.result as never;
};
const photoCount = async () => Number((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`))[0].n);
const chunkDirs = () => readdirSync(join(t.config.dataDir, 'ws-chunks'), { withFileTypes: true }).filter((d) => d.isDirectory()).length;

beforeAll(async () => {
  t = await createMediaTestApp();
  ws = wsImagesHarness(t);
  albumA = (await t.albums.create({ name: 'Travel' })).id;
  albumB = (await t.albums.create({ name: 'Spain', parentId: albumA })).id;
});
afterAll(async () => t?.close());

describe('pwg.images.addSimple', () => {
  it('ingests the file with its info, tags, album and EXIF, into the lounge', async () => {
    const file = await exifJpeg(1);
    const result = ok(
      await ws.call({
        body: [['method', 'pwg.images.addSimple'], ['category', String(albumB)], ['name', 'First photo'], ['tags', 'nature, travel\\, far, another tag'], ['author', 'Peer Bench'], ['comment', 'A description'], ['level', '2']],
        files: [{ field: 'image', filename: 'IMG_0001.jpg', data: file }],
      }),
    ) as { image_id: number; url: string };
    expect(typeof result.image_id).toBe('number');
    const [row] = await t.db.dataSource.query(`SELECT * FROM photos WHERE id = $1`, [result.image_id]);
    expect(row).toMatchObject({ title: 'First photo', author: 'Peer Bench', description: 'A description', privacy_level: 2, status: 'lounge', original_name: 'IMG_0001.jpg', md5: md5(file), camera_make: 'Canon', camera_model: 'EOS 5D' });
    expect(new Date(row.taken_at).toISOString()).toBe('2022-09-01T08:20:00.000Z');
    const tags = (await t.db.dataSource.query(`SELECT t.name FROM tags t JOIN photo_tags pt ON pt.tag_id = t.id WHERE pt.photo_id = $1 ORDER BY t.name`, [result.image_id])).map((r: { name: string }) => r.name);
    expect(tags).toEqual(['another tag', 'nature', 'travel, far']);
    expect(await t.albums.photoIds(albumB)).toContain(result.image_id);
  });

  it('answers a duplicate with the existing id as a string and applies the new info to it', async () => {
    const file = await exifJpeg(1);
    const before = await photoCount();
    const result = ok(await ws.call({ body: [['method', 'pwg.images.addSimple'], ['category', String(albumA)], ['name', 'First photo again']], files: [{ field: 'image', filename: 'again.jpg', data: file }] })) as { image_id: string };
    expect(typeof result.image_id).toBe('string');
    expect(await photoCount()).toBe(before);
    const [row] = await t.db.dataSource.query(`SELECT title, author FROM photos WHERE id = $1`, [Number(result.image_id)]);
    expect(row).toEqual({ title: 'First photo again', author: 'Peer Bench' });
    expect(await t.albums.photoIds(albumA)).toContain(Number(result.image_id));
  });

  it('refuses a missing file (405), guests (401), GET (405), a hostile file (415) and stores nothing', async () => {
    const before = await photoCount();
    const noFile = await ws.call({ body: [['method', 'pwg.images.addSimple'], ['category', String(albumA)]] });
    expect(noFile).toMatchObject({ ok: false, error: { code: 405, message: 'The image (file) is missing' } });
    const guest = await ws.call({ as: 'guest', body: [['method', 'pwg.images.addSimple'], ['category', String(albumA)]], files: [{ field: 'image', filename: 'x.jpg', data: await jpeg(50) }] });
    expect(guest).toMatchObject({ ok: false, error: { code: 401, message: 'Access denied' } });
    const viaGet = await ws.call({ http: 'GET', query: `format=json&method=pwg.images.addSimple&category=${albumA}` });
    expect(viaGet).toMatchObject({ ok: false, error: { code: 405 } });
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const hostile = await ws.call({ body: [['method', 'pwg.images.addSimple'], ['category', String(albumA)]], files: [{ field: 'image', filename: 'evil.jpg', data: html }] });
    expect(hostile).toMatchObject({ ok: false, error: { code: 415 } });
    const unknownAlbum = await ws.call({ body: [['method', 'pwg.images.addSimple'], ['category', '99999']], files: [{ field: 'image', filename: 'x.jpg', data: await jpeg(51) }] });
    expect(unknownAlbum).toMatchObject({ ok: false, error: { code: 404 } });
    expect(await photoCount()).toBe(before);
    expect(readdirSync(join(t.config.dataDir, 'tmp')).filter((f) => !f.startsWith('.'))).toEqual([]);
  });
});

describe('the lounge', () => {
  it('hides uploaded photos from guests and members until uploadCompleted, then shows them', async () => {
    await t.db.dataSource.query(`UPDATE photos SET status = 'ready'`);
    const guestFile = await jpeg(60);
    const id = (ok(await ws.call({ body: [['method', 'pwg.images.addSimple'], ['category', String(albumA)]], files: [{ field: 'image', filename: 'lounge.jpg', data: guestFile }] })) as { image_id: number }).image_id;
    const visibility = t.app.get(VisibilityService);
    visibility.clearCache();
    expect(await visibility.canSeePhoto(GUEST, id)).toBe(false);
    const member = { kind: 'user' as const, userId: t.users.member, username: 'mia', role: 'member' as const, privacyLevel: 8 as const };
    expect(await visibility.canSeePhoto(member, id)).toBe(false);
    const guestInfo = await ws.call({ as: 'guest', http: 'GET', query: `format=json&method=pwg.images.getInfo&image_id=${id}` });
    expect(guestInfo).toMatchObject({ ok: false, error: { code: 404 } });

    const badToken = await ws.call({ body: [['method', 'pwg.images.uploadCompleted'], ['pwg_token', '0'.repeat(32)], ['category_id', String(albumA)]] });
    expect(badToken).toMatchObject({ ok: false, error: { code: 403, message: 'Invalid security token' } });
    expect(await visibility.canSeePhoto(GUEST, id)).toBe(false);

    const done = ok(await ws.call({ body: [['method', 'pwg.images.uploadCompleted'], ['pwg_token', ws.token], ['image_id[]', String(id)], ['category_id', String(albumA)]] })) as {
      moved_from_lounge: Array<{ image_id: string; category_id: string }>;
      category: { id: number; nb_photos: string; label: string };
    };
    expect(done.moved_from_lounge).toEqual([{ image_id: String(id), category_id: String(albumA) }]);
    expect(done.category).toMatchObject({ id: albumA, label: 'Travel' });
    expect(typeof done.category.nb_photos).toBe('string');
    expect(await visibility.canSeePhoto(GUEST, id)).toBe(true);
    expect(await visibility.canSeePhoto(member, id)).toBe(true);
    expect(ok(await ws.call({ body: [['method', 'pwg.images.emptyLounge']] }))).toEqual({ rows: [] });
  });

  it('empties itself once the oldest photo waited lounge_max_duration (clients that never call uploadCompleted)', async () => {
    const id = (ok(await ws.call({ body: [['method', 'pwg.images.addSimple'], ['category', String(albumA)]], files: [{ field: 'image', filename: 'shotwell.jpg', data: await jpeg(61) }] })) as { image_id: number }).image_id;
    const service = t.app.get(WsImagesService);
    expect(await service.expireLounge(new Date())).toBe(0);
    expect(await service.expireLounge(new Date(Date.now() + 301_000))).toBe(1);
    const [row] = await t.db.dataSource.query(`SELECT status FROM photos WHERE id = $1`, [id]);
    expect(row.status).toBe('ready');
  });
});

describe('pwg.images.upload (plupload chunks)', () => {
  const send = (chunk: number, chunks: number, data: Buffer, name = 'chunked.jpg', token = ws.token) =>
    ws.call({
      query: 'format=json&method=pwg.images.upload',
      body: [['chunk', String(chunk)], ['chunks', String(chunks)], ['name', name], ['category', String(albumB)], ['pwg_token', token]],
      files: [{ field: 'file', filename: 'blob', data }],
    });

  it('answers null for every chunk but the last, which returns the image record', async () => {
    const file = await jpeg(70, 800, 600);
    const size = Math.ceil(file.length / 3);
    const parts = [file.subarray(0, size), file.subarray(size, 2 * size), file.subarray(2 * size)];
    expect(ok(await send(0, 3, parts[0]!))).toBeNull();
    expect(ok(await send(1, 3, parts[1]!))).toBeNull();
    const last = ok(await send(2, 3, parts[2]!)) as Record<string, unknown>;
    expect(Object.keys(last)).toEqual(['image_id', 'src', 'square_src', 'name', 'category', 'add_status']);
    expect(last).toMatchObject({ name: 'chunked', category: { id: albumB, label: 'Travel / Spain' }, add_status: 'add' });
    const [row] = await t.db.dataSource.query(`SELECT md5, status FROM photos WHERE id = $1`, [last.image_id]);
    expect(row).toEqual({ md5: md5(file), status: 'lounge' });
    expect(chunkDirs()).toBe(0);
  });

  it('refuses a bad token (403) and out-of-order chunks, and drops the partial file', async () => {
    const before = await photoCount();
    const file = await jpeg(71, 800, 600);
    expect(await send(0, 2, file.subarray(0, 100), 'x.jpg', '0123456789abcdef0123456789abcdef')).toMatchObject({ ok: false, error: { code: 403, message: 'Invalid security token' } });
    expect(ok(await send(0, 3, file.subarray(0, 100), 'gap.jpg'))).toBeNull();
    expect(chunkDirs()).toBe(1);
    expect(await send(2, 3, file.subarray(100), 'gap.jpg')).toMatchObject({ ok: false, error: { code: 1003 } });
    expect(chunkDirs()).toBe(0);
    expect(await photoCount()).toBe(before);
  });

  it('uploads a whole file in one request (no chunks)', async () => {
    const file = await jpeg(72);
    const result = ok(await ws.call({ query: 'format=json&method=pwg.images.upload', body: [['name', 'single.jpg'], ['category', String(albumA)], ['pwg_token', ws.token]], files: [{ field: 'file', filename: 'single.jpg', data: file }] })) as { image_id: number };
    expect(typeof result.image_id).toBe('number');
  });
});

describe('pwg.images.addChunk + pwg.images.add (digiKam, piwigo_remote.pl)', () => {
  it('assembles base64 chunks by position, checks the md5 and stores the photo with its info', async () => {
    const file = await exifJpeg(80, 600, 400);
    const sum = md5(file);
    const half = Math.ceil(file.length / 2);
    // positions out of order: assembly follows the position
    for (const [position, part] of [[2, file.subarray(half)], [1, file.subarray(0, half)]] as const) {
      expect(ok(await ws.call({ body: [['method', 'pwg.images.addChunk'], ['data', part.toString('base64')], ['original_sum', sum], ['position', String(position)], ['type', 'file']] }))).toBeNull();
    }
    const result = ok(await ws.call({ body: [['method', 'pwg.images.add'], ['original_sum', sum], ['original_filename', 'digikam.jpg'], ['name', 'Legacy add'], ['categories', `${albumB};${albumA},auto`], ['date_creation', '2021-05-04 10:11:12'], ['tag_ids', '']] })) as { image_id: number; url: string };
    expect(typeof result.image_id).toBe('number');
    const [row] = await t.db.dataSource.query(`SELECT title, original_name, md5, taken_at FROM photos WHERE id = $1`, [result.image_id]);
    expect(row).toMatchObject({ title: 'Legacy add', original_name: 'digikam.jpg', md5: sum });
    expect(new Date(row.taken_at).toISOString()).toBe('2021-05-04T10:11:12.000Z');
    expect(await t.albums.photoIds(albumA)).toContain(result.image_id);
    expect(await t.albums.photoIds(albumB)).toContain(result.image_id);
    expect(chunkDirs()).toBe(0);

    const again = await ws.call({ body: [['method', 'pwg.images.add'], ['original_sum', sum], ['categories', String(albumA)]] });
    expect(again).toMatchObject({ ok: false, error: { code: 500, message: 'file already exists' } });
  });

  it('refuses corrupted chunks (md5 mismatch) and keeps nothing', async () => {
    const before = await photoCount();
    const file = await jpeg(81);
    const sum = md5(file);
    ok(await ws.call({ body: [['method', 'pwg.images.addChunk'], ['data', file.subarray(10).toString('base64')], ['original_sum', sum], ['position', '1'], ['type', 'file']] }));
    const add = await ws.call({ body: [['method', 'pwg.images.add'], ['original_sum', sum], ['categories', String(albumA)]] });
    expect(add).toMatchObject({ ok: false, error: { code: 500 } });
    expect(await photoCount()).toBe(before);
    expect(chunkDirs()).toBe(0);
    expect(await ws.call({ body: [['method', 'pwg.images.addChunk'], ['data', 'AAAA'], ['original_sum', '../../etc/passwd'], ['position', '1']] })).toMatchObject({ ok: false, error: { code: 1003 } });
  });
});

describe('pwg.images.uploadAsync (mobile apps)', () => {
  it('takes chunks in any order, reports progress, and returns getInfo after the last', async () => {
    const file = await jpeg(90, 700, 500);
    const sum = md5(file);
    const third = Math.ceil(file.length / 3);
    const parts = [file.subarray(0, third), file.subarray(third, 2 * third), file.subarray(2 * third)];
    const send = (i: number, chunkSum = md5(parts[i]!)) =>
      ws.call({
        query: 'format=json&method=pwg.images.uploadAsync',
        body: [['chunk', String(i)], ['chunks', '3'], ['chunk_sum', chunkSum], ['original_sum', sum], ['filename', 'IMG_7.JPG'], ['category', String(albumA)], ['name', 'From the phone'], ['date_creation', '2020-01-02 03:04:05']],
        files: [{ field: 'file', filename: 'blob', data: parts[i]! }],
      });
    expect(await send(1, '0'.repeat(32))).toMatchObject({ ok: false, error: { code: 500, message: 'MD5 checksum chunk file mismatched' } });
    expect(ok(await send(2))).toEqual({ message: 'chunks uploaded = 2' });
    expect(ok(await send(0))).toEqual({ message: 'chunks uploaded = 0,2' });
    const info = ok(await send(1)) as Record<string, unknown>;
    expect(info).toMatchObject({ file: 'IMG_7.JPG', name: 'From the phone', md5sum: sum, date_creation: '2020-01-02 03:04:05' });
    expect(chunkDirs()).toBe(0);
  });
});

describe('pwg.images.exist, checkFiles, setInfo, getInfo, setCategory, delete', () => {
  it('checkUpload answers ready', async () => {
    expect(ok(await ws.call({ body: [['method', 'pwg.images.checkUpload']] }))).toEqual({ message: null, ready_for_upload: true });
    expect(await ws.call({ as: 'guest', body: [['method', 'pwg.images.checkUpload']] })).toMatchObject({ ok: false, error: { code: 401 } });
  });

  it('exist maps md5 → id as a string or null; filename mode reads filename_list only', async () => {
    const file = await exifJpeg(1);
    const result = ok(await ws.call({ body: [['method', 'pwg.images.exist'], ['md5sum_list', `${md5(file)},${'f'.repeat(32)}`]] })) as Map<string, string | null>;
    expect([...result.entries()]).toEqual([[md5(file), expect.stringMatching(/^\d+$/)], ['f'.repeat(32), null]]);
    expect(ok(await ws.call({ body: [['method', 'pwg.images.exist'], ['filename_list', 'IMG_0001.jpg']] }))).toEqual([]);
    const byName = wsImagesHarness(t, { uniquenessMode: 'filename' });
    const names = ok(await byName.call({ body: [['method', 'pwg.images.exist'], ['filename_list', 'IMG_0001.jpg,nothere.jpg']] })) as Map<string, string | null>;
    expect([...names.entries()]).toEqual([['IMG_0001.jpg', expect.stringMatching(/^\d+$/)], ['nothere.jpg', null]]);
  });

  it('setInfo: fill_if_empty keeps set values, replace overwrites; categories and tag_ids; checkFiles compares md5', async () => {
    const file = await jpeg(100);
    const id = (ok(await ws.call({ body: [['method', 'pwg.images.addSimple'], ['category', String(albumA)], ['name', 'Kept']], files: [{ field: 'image', filename: 'info.jpg', data: file }] })) as { image_id: number }).image_id;
    ok(await ws.call({ body: [['method', 'pwg.images.setInfo'], ['image_id', String(id)], ['name', 'Ignored'], ['author', 'Filled <script>x</script><b>bold</b>']] }));
    let [row] = await t.db.dataSource.query(`SELECT title, author FROM photos WHERE id = $1`, [id]);
    expect(row).toEqual({ title: 'Kept', author: 'Filled x<b>bold</b>' });
    const [tag] = await t.db.dataSource.query(`INSERT INTO tags (name, slug) VALUES ('Blue', 'blue') RETURNING id`);
    ok(await ws.call({ body: [['method', 'pwg.images.setInfo'], ['image_id', String(id)], ['single_value_mode', 'replace'], ['name', 'Replaced'], ['categories', String(albumB)], ['multiple_value_mode', 'replace'], ['tag_ids', String(tag.id)]] }));
    [row] = await t.db.dataSource.query(`SELECT title FROM photos WHERE id = $1`, [id]);
    expect(row.title).toBe('Replaced');
    expect(await t.albums.photoIds(albumB)).toContain(id);
    expect(await t.albums.photoIds(albumA)).not.toContain(id);
    expect(await ws.call({ body: [['method', 'pwg.images.setInfo'], ['image_id', '999999']] })).toMatchObject({ ok: false, error: { code: 404, message: 'image_id not found' } });
    expect(await ws.call({ body: [['method', 'pwg.images.setInfo'], ['image_id', String(id)], ['single_value_mode', 'nope']] })).toMatchObject({ ok: false, error: { code: 1003 } });
    expect(ok(await ws.call({ body: [['method', 'pwg.images.checkFiles'], ['image_id', String(id)], ['file_sum', md5(file)]] }))).toEqual({ file: 'equals' });
    expect(ok(await ws.call({ body: [['method', 'pwg.images.checkFiles'], ['image_id', String(id)], ['file_sum', 'abc']] }))).toEqual({ file: 'differs' });

    const info = ok(await ws.call({ http: 'GET', query: `format=json&method=pwg.images.getInfo&image_id=${id}` })) as Record<string, unknown>;
    expect(Object.keys(info)).toEqual([
      'id', 'file', 'date_available', 'date_creation', 'name', 'comment', 'author', 'hit', 'filesize', 'width', 'height', 'coi', 'representative_ext',
      'date_metadata_update', 'rating_score', 'level', 'md5sum', 'added_by', 'rotation', 'latitude', 'longitude', 'lastmodified', 'page_url', 'element_url',
      'download_url', 'derivatives', 'name_raw', 'comment_raw', 'rates', 'categories', 'tags', 'comments_paging', 'comments',
    ]);
    expect(info).toMatchObject({ id, name: 'Replaced', level: '0', categories: [{ id: albumB, name: 'Spain', uppercats: `${albumA},${albumB}` }], tags: [{ id: tag.id, name: 'Blue', url_name: 'blue' }] });
    expect(Object.keys(info.derivatives as object)).toEqual(['square', 'thumb', '2small', 'xsmall', 'small', 'medium', 'large', 'xlarge', 'xxlarge', '3xlarge', '4xlarge']);

    expect(await ws.call({ body: [['method', 'pwg.images.setCategory'], ['image_id', String(id)], ['category_id', String(albumA)], ['action', 'move'], ['pwg_token', 'bad']] })).toMatchObject({ ok: false, error: { code: 403 } });
    ok(await ws.call({ body: [['method', 'pwg.images.setCategory'], ['image_id', String(id)], ['category_id', String(albumA)], ['action', 'move'], ['pwg_token', ws.token]] }));
    expect(await t.albums.photoIds(albumA)).toContain(id);
    expect(await t.albums.photoIds(albumB)).not.toContain(id);

    expect(await ws.call({ body: [['method', 'pwg.images.delete'], ['image_id', String(id)], ['pwg_token', 'bad']] })).toMatchObject({ ok: false, error: { code: 403 } });
    expect(ok(await ws.call({ body: [['method', 'pwg.images.delete'], ['image_id', String(id)], ['pwg_token', ws.token]] }))).toBe(1);
    expect(await t.db.dataSource.query(`SELECT id FROM photos WHERE id = $1`, [id])).toEqual([]);
  });
});
