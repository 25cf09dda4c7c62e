/**
 * The upload flows of real Piwigo clients, request by request as piwigo.md §1.4 describes them,
 * against the whole app over HTTP: darktable (JSON, unescaped urlencoded bodies, multipart
 * addSimple with its extra `image=<path>` text field), digiKam (XML, addChunk × N + images.add,
 * images.exist), Shotwell (XML, cookie taken from the last Set-Cookie), the mobile apps
 * (format/method in the URL, chunked pwg.images.upload and uploadAsync). Each checks the photos
 * landed with their metadata, and that the lounge hides them until uploadCompleted.
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { AlbumService } from '../../src/albums/album.service.js';
import { JOB_QUEUE, type JobQueue } from '../../src/jobs/job-queue.js';
import { STORAGE_STRATEGY, type StorageStrategy } from '../../src/media/storage.strategy.js';
import { UserService } from '../../src/users/user.service.js';
import { exifJpeg } from '../integration/ws-images.harness.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { jpeg } from './media-harness.js';

let t: TestApp;
let server: Server;
let albums: AlbumService;

beforeAll(async () => {
  t = await createTestApp();
  server = t.app.getHttpServer() as Server;
  albums = t.app.get(AlbumService);
  await t.app.get(UserService).create({ username: 'admin', password: 'adminpass', role: 'webmaster' });
});
afterAll(() => t?.close());

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');
const json = (res: request.Response) => JSON.parse(res.text) as { stat: string; result?: any; err?: number; message?: string };
const photo = async (id: number) => (await t.db.dataSource.query(`SELECT * FROM photos WHERE id = $1`, [id]))[0];
const tagsOf = async (id: number) =>
  (await t.db.dataSource.query(`SELECT t.name FROM tags t JOIN photo_tags pt ON pt.tag_id = t.id WHERE pt.photo_id = $1 ORDER BY t.name`, [id])).map((r: { name: string }) => r.name);

async function jsonLogin() {
  const agent = request.agent(server);
  const login = await agent.post('/ws.php?format=json').type('form').send('method=pwg.session.login&username=admin&password=adminpass');
  expect(json(login)).toEqual({ stat: 'ok', result: true });
  const token = json(await agent.post('/ws.php?format=json').type('form').send('method=pwg.session.getStatus')).result.pwg_token as string;
  expect(token).toMatch(/^[0-9a-f]{32}$/);
  return { agent, token };
}

describe('darktable (src/imageio/storage/piwigo.c)', () => {
  it('login → getStatus → getList → categories.add → getImages → addSimple/setInfo → uploadCompleted', async () => {
    const { agent, token } = await jsonLogin();
    const list = json(await agent.post('/ws.php?format=json').type('form').send('method=pwg.categories.getList&cat_id=0&recursive=true'));
    expect(list.stat).toBe('ok');
    // darktable does not URL-encode values: raw spaces in the body
    const created = json(await agent.post('/ws.php?format=json').type('form').send('method=pwg.categories.add&name=Darktable export&parent=0&status=public'));
    expect(created.stat).toBe('ok');
    const albumId = created.result.id as number;
    expect(typeof albumId).toBe('number');
    const empty = json(await agent.post('/ws.php?format=json').type('form').send(`method=pwg.categories.getImages&cat_id=${albumId}&per_page=100&page=0`));
    expect(empty.result.paging.count).toBe(0);

    const file = await exifJpeg(201);
    const upload = await agent
      .post('/ws.php?format=json')
      .field('method', 'pwg.images.addSimple')
      .field('image', '/home/user/Pictures/darktable_exported/IMG_0201.jpg')
      .field('category', String(albumId))
      .field('level', '0')
      .field('name', 'Sunset')
      .field('author', 'Dt User')
      .field('comment', 'Exported from darktable')
      .field('tags', 'darktable|exported,sea')
      .attach('image', file, { filename: 'IMG_0201.jpg', contentType: 'image/jpeg' });
    expect(upload.status).toBe(200);
    expect(upload.headers['content-type']).toBe('text/plain; charset=utf-8');
    const id = json(upload).result.image_id as number;
    expect(typeof id).toBe('number');

    // before uploadCompleted: in the lounge, invisible to the album listing and to guests
    const before = json(await agent.post('/ws.php?format=json').type('form').send(`method=pwg.categories.getImages&cat_id=${albumId}&per_page=100&page=0`));
    expect(before.result.images.map((i: { id: number }) => i.id)).not.toContain(id);
    expect((await request(server).get(`/api/v1/photos/${id}`)).status).toBe(404);
    expect((await request(server).get(`/api/v1/photos?album=${albumId}`)).body.items ?? []).toEqual([]);
    expect((await request(server).get(`/photos/${id}`)).status).toBe(404);
    expect((await request(server).get(`/media/photos/${id}/thumb`)).status).toBe(404);
    const guestWs = json(await request(server).get(`/ws.php?format=json&method=pwg.categories.getImages&cat_id=${albumId}`));
    expect(guestWs.result?.images ?? []).toEqual([]);

    // overwrite mode: setInfo with single_value_mode=replace
    const setInfo = json(await agent.post('/ws.php?format=json').type('form').send(`method=pwg.images.setInfo&image_id=${id}&single_value_mode=replace&name=Sunset v2&author=Dt User&comment=Updated`));
    expect(setInfo).toEqual({ stat: 'ok', result: null });

    const done = json(await agent.post('/ws.php?format=json').type('form').send(`method=pwg.images.uploadCompleted&pwg_token=${token}&category_id=${albumId}`));
    expect(done.result.moved_from_lounge).toContainEqual({ image_id: String(id), category_id: String(albumId) });

    const row = await photo(id);
    expect(row).toMatchObject({ title: 'Sunset v2', author: 'Dt User', description: 'Updated', original_name: 'IMG_0201.jpg', status: 'ready', camera_make: 'Canon' });
    expect(await tagsOf(id)).toEqual(['darktable|exported', 'sea']);
    expect(await albums.photoIds(albumId)).toEqual([id]);
    const after = json(await agent.post('/ws.php?format=json').type('form').send(`method=pwg.categories.getImages&cat_id=${albumId}&per_page=100&page=0`));
    expect(after.result.images.map((i: { id: number; file: string }) => [i.id, i.file])).toEqual([[id, 'IMG_0201.jpg']]);
    expect((await request(server).get(`/api/v1/photos/${id}`)).status).toBe(200);
    const audit = await t.db.dataSource.query(`SELECT action, target_type, target_id, summary FROM audit_log WHERE action LIKE 'ws.images.%' ORDER BY id`);
    expect(audit.map((a: { action: string; target_id: string | null }) => [a.action, a.target_id])).toEqual([
      ['ws.images.add_simple', String(id)],
      ['ws.images.set_info', String(id)],
      ['ws.images.upload_completed', null],
    ]);
    expect(audit[0].summary).toMatchObject({ channel: 'ws', albumIds: [albumId] });
  });
});

describe('darktable "overwrite" conflict mode (addSimple with image_id)', () => {
  it('replaces the file of the existing photo, keeps its id and albums, rebuilds its derivatives', async () => {
    const { agent } = await jsonLogin();
    const albumId = (await albums.create({ name: 'Overwrite' })).id;
    const upload = (file: Buffer, extra: Record<string, string> = {}) => {
      let req = agent.post('/ws.php?format=json').field('method', 'pwg.images.addSimple').field('category', String(albumId)).field('name', 'Edited');
      for (const [k, v] of Object.entries(extra)) req = req.field(k, v);
      return req.attach('image', file, { filename: 'IMG_0301.jpg', contentType: 'image/jpeg' });
    };
    const first = await jpeg(701, 640, 480);
    const id = json(await upload(first)).result.image_id as number;
    const edited = await jpeg(702, 800, 600);
    const count = Number((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`))[0].n);
    const replaced = json(await upload(edited, { image_id: String(id), name: 'Edited v2' }));
    expect(replaced.result.image_id).toBe(id);
    expect(Number((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`))[0].n)).toBe(count);
    expect(await photo(id)).toMatchObject({ md5: md5(edited), width: 800, height: 600, title: 'Edited v2' });
    expect(await albums.photoIds(albumId)).toEqual([id]);
    // The eager sizes were rebuilt from the new file at once (640×480 → 800×600 gives a 792 px medium), with no job left to run.
    const medium = t.app.get<StorageStrategy>(STORAGE_STRATEGY).derivativePath(id, 'medium', 'jpg');
    expect(await sharp(medium).metadata()).toMatchObject({ width: 792, height: 594 });
    expect((await t.app.get<JobQueue>(JOB_QUEUE).list({ name: 'derivatives.eager' })).filter((j) => j.payload.photoId === id)).toEqual([]);
    const again = json(await upload(edited, { image_id: String(id) }));
    expect(again.result.image_id).toBe(id);
    const missing = await upload(await jpeg(703), { image_id: '999999' });
    expect(json(missing)).toEqual({ stat: 'fail', err: 404, message: 'image_id not found' });
    expect(Number((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`))[0].n)).toBe(count);
    const refs = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos WHERE md5 = $1`, [md5(first)]);
    expect(refs[0].n).toBe(0);
  });
});

describe('digiKam (piwigotalker.cpp, XML)', () => {
  it('login → getVersion → getList → exist → addChunk × N → images.add → exist finds it', async () => {
    const agent = request.agent(server);
    const login = await agent.post('/ws.php').type('form').send({ method: 'pwg.session.login', password: 'adminpass', username: 'admin' });
    expect(login.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(login.text).toContain('<rsp stat="ok">');
    const version = await agent.post('/ws.php').type('form').send({ method: 'pwg.getVersion' });
    expect(/.?(\d)\.(\d)/.exec(version.text)).not.toBeNull();
    const albumId = (await albums.create({ name: 'digiKam' })).id;
    const list = await agent.post('/ws.php').type('form').send({ method: 'pwg.categories.getList', recursive: 'true' });
    expect(list.text).toContain(`<category id="${albumId}"`);

    const file = await exifJpeg(301, 900, 700);
    const sum = md5(file);
    const unknown = await agent.post('/ws.php').type('form').send({ method: 'pwg.images.exist', md5sum_list: sum });
    expect(unknown.text).not.toMatch(/_?([a-f0-9]+)>([0-9]+)<\//);

    const chunkSize = Math.ceil(file.length / 3);
    for (let position = 1; position * chunkSize - chunkSize < file.length; position++) {
      const data = file.subarray((position - 1) * chunkSize, position * chunkSize).toString('base64');
      const res = await agent.post('/ws.php').type('form').send({ method: 'pwg.images.addChunk', original_sum: sum, position: String(position), type: 'file', data });
      expect(res.text).toBe('<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n\n</rsp>');
    }
    const add = await agent.post('/ws.php').type('form').send({
      method: 'pwg.images.add',
      original_sum: sum,
      original_filename: 'DSC_0301.JPG',
      name: 'Harbour',
      author: 'Kim',
      comment: 'From digiKam',
      categories: String(albumId),
      file_sum: sum,
      date_creation: '2019-07-14 18:30:00',
    });
    const idMatch = /<image_id>(\d+)<\/image_id>/.exec(add.text);
    expect(idMatch).not.toBeNull();
    const id = Number(idMatch![1]);
    const found = await agent.post('/ws.php').type('form').send({ method: 'pwg.images.exist', md5sum_list: sum });
    const digiKamRegex = /_?([a-f0-9]+)>([0-9]+)</.exec(found.text);
    expect(digiKamRegex?.slice(1)).toEqual([sum, String(id)]);

    // existing photo: getInfo (reads <category id=…>) + setInfo categories="a;b"
    const second = (await albums.create({ name: 'digiKam 2' })).id;
    const info = await agent.post('/ws.php').type('form').send({ method: 'pwg.images.getInfo', image_id: String(id) });
    expect(info.text).toContain(`<category id="${albumId}"`);
    await agent.post('/ws.php').type('form').send({ method: 'pwg.images.setInfo', image_id: String(id), categories: `${albumId};${second}` });
    expect(await albums.photoIds(second)).toEqual([id]);

    const row = await photo(id);
    expect(row).toMatchObject({ title: 'Harbour', author: 'Kim', description: 'From digiKam', original_name: 'DSC_0301.JPG', md5: sum, camera_model: 'EOS 5D' });
    expect(new Date(row.taken_at).toISOString()).toBe('2019-07-14T18:30:00.000Z');
  });
});

describe('Shotwell (PiwigoPublishing.vala, XML)', () => {
  it('login (cookie from the last Set-Cookie) → getStatus → getList → categories.add → addSimple → logout', async () => {
    const login = await request(server).post('/ws.php').type('form').send({ method: 'pwg.session.login', username: 'admin', password: 'adminpass' });
    const cookies = login.headers['set-cookie'] as unknown as string[];
    const pwgId = /pwg_id=([^;]+)/.exec(cookies.filter((c) => c.startsWith('pwg_id=')).at(-1)!)![1];
    const cookie = `pwg_id=${pwgId}`;
    const status = await request(server).post('/ws.php').set('Cookie', cookie).type('form').send({ method: 'pwg.session.getStatus' });
    expect(status.text).toContain('<username>admin</username>');
    const list = await request(server).post('/ws.php').set('Cookie', cookie).type('form').send({ method: 'pwg.categories.getList', recursive: 'true' });
    expect(list.text).toContain('<categories>');
    const add = await request(server).post('/ws.php').set('Cookie', cookie).type('form').send({ method: 'pwg.categories.add', name: 'Shotwell', parent: '0', comment: 'From Shotwell' });
    const albumId = Number(/<id>(\d+)<\/id>/.exec(add.text)![1]);

    const file = await exifJpeg(401);
    const upload = await request(server)
      .post('/ws.php')
      .set('Cookie', cookie)
      .field('method', 'pwg.images.addSimple')
      .field('category', String(albumId))
      .field('name', 'Garden')
      .field('comment', 'Shotwell comment')
      .field('level', '0')
      .field('tags', 'garden,flowers')
      .attach('image', file, { filename: 'garden.jpg', contentType: 'image/jpeg' });
    expect(upload.headers['content-type']).toBe('text/xml; charset=utf-8');
    const id = Number(/<image_id>(\d+)<\/image_id>/.exec(upload.text)![1]);
    const logout = await request(server).post('/ws.php').set('Cookie', cookie).type('form').send({ method: 'pwg.session.logout' });
    expect(logout.text).toContain('<rsp stat="ok">');
    expect(await photo(id)).toMatchObject({ title: 'Garden', description: 'Shotwell comment', original_name: 'garden.jpg', status: 'lounge', camera_make: 'Canon' });
    expect(await tagsOf(id)).toEqual(['flowers', 'garden']);
    expect(await albums.photoIds(albumId)).toEqual([id]);
  });
});

describe('Piwigo mobile apps (format and method in the URL)', () => {
  it('chunked pwg.images.upload, uploadAsync in any order, then uploadCompleted', async () => {
    const { agent, token } = await jsonLogin();
    const methods = json(await agent.get('/ws.php?format=json&method=reflection.getMethodList')).result.methods as string[];
    for (const name of ['pwg.images.upload', 'pwg.images.uploadAsync', 'pwg.images.uploadCompleted', 'pwg.images.setInfo']) expect(methods).toContain(name);
    const albumId = (await albums.create({ name: 'Phone' })).id;

    const file = await jpeg(501, 1200, 900);
    const chunkSize = Math.ceil(file.length / 3);
    let last: any;
    for (let i = 0; i < 3; i++) {
      const res = await agent
        .post('/ws.php?format=json&method=pwg.images.upload')
        .field('chunk', String(i))
        .field('chunks', '3')
        .field('name', 'IMG_0501.JPG')
        .field('category', String(albumId))
        .field('pwg_token', token)
        .attach('file', file.subarray(i * chunkSize, (i + 1) * chunkSize), { filename: 'blob', contentType: 'application/octet-stream' });
      last = json(res);
      if (i < 2) expect(last).toEqual({ stat: 'ok', result: null });
    }
    expect(last.result).toMatchObject({ name: 'IMG 0501', category: { id: albumId, nb_photos: 1, label: 'Phone' }, add_status: 'add' });
    const uploadId = last.result.image_id as number;

    const second = await jpeg(502, 1000, 800);
    const sum = md5(second);
    const half = Math.ceil(second.length / 2);
    const parts = [second.subarray(0, half), second.subarray(half)];
    const sendAsync = (i: number) =>
      agent
        .post('/ws.php?format=json&method=pwg.images.uploadAsync')
        .field('chunk', String(i))
        .field('chunks', '2')
        .field('chunk_sum', md5(parts[i]!))
        .field('original_sum', sum)
        .field('filename', 'IMG_0502.HEIC.jpg')
        .field('category', String(albumId))
        .field('name', 'Second')
        .field('author', 'Phone owner')
        .attach('file', parts[i]!, { filename: 'blob', contentType: 'application/octet-stream' });
    expect(json(await sendAsync(1)).result).toEqual({ message: 'chunks uploaded = 1' });
    const info = json(await sendAsync(0)).result;
    expect(info).toMatchObject({ name: 'Second', author: 'Phone owner', md5sum: sum, categories: [{ id: albumId }] });

    const done = json(await agent.post(`/ws.php?format=json&method=pwg.images.uploadCompleted`).type('form').send({ pwg_token: token, category_id: String(albumId), 'image_id[]': [String(uploadId), String(info.id)] }));
    expect(done.result.category).toEqual({ id: albumId, nb_photos: '2', label: 'Phone' });
    expect(done.result.moved_from_lounge).toEqual(
      expect.arrayContaining([
        { image_id: String(uploadId), category_id: String(albumId) },
        { image_id: String(info.id), category_id: String(albumId) },
      ]),
    );
    expect((await photo(uploadId)).md5).toBe(md5(file));
    expect((await request(server).get(`/api/v1/photos/${info.id}`)).status).toBe(200);
  });
});

describe('pwg.images.uploadAsync inline login (background uploads without the cookie)', () => {
  it('username/password fields log the caller in; a wrong pair answers 999 and stores nothing', async () => {
    const albumId = (await albums.create({ name: 'Background' })).id;
    const file = await jpeg(551);
    const send = (password: string) =>
      request(server)
        .post('/ws.php?format=json&method=pwg.images.uploadAsync')
        .field('username', 'admin')
        .field('password', password)
        .field('chunk', '0')
        .field('chunks', '1')
        .field('chunk_sum', md5(file))
        .field('original_sum', md5(file))
        .field('filename', 'bg.jpg')
        .field('category', String(albumId))
        .attach('file', file, { filename: 'blob', contentType: 'application/octet-stream' });
    const wrong = await send('nope');
    expect(json(wrong)).toEqual({ stat: 'fail', err: 999, message: 'Invalid username/password' });
    expect(await albums.photoIds(albumId)).toEqual([]);
    const ok = await send('adminpass');
    expect(ok.status).toBe(200);
    expect(([] as string[]).concat(ok.headers['set-cookie'] ?? []).some((c) => c.startsWith('pwg_id='))).toBe(true);
    const info = json(ok).result;
    expect(info).toMatchObject({ file: 'bg.jpg', md5sum: md5(file) });
    expect(await albums.photoIds(albumId)).toEqual([info.id]);
  });
});

describe('bad input over HTTP', () => {
  it('bad token, corrupt chunk and hostile file answer Piwigo errors and store nothing', async () => {
    const { agent } = await jsonLogin();
    const albumId = (await albums.create({ name: 'Bad' })).id;
    const count = async () => Number((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`))[0].n);
    const before = await count();
    const badToken = await agent
      .post('/ws.php?format=json&method=pwg.images.upload')
      .field('name', 'x.jpg')
      .field('category', String(albumId))
      .field('pwg_token', '0123456789abcdef0123456789abcdef')
      .attach('file', await jpeg(601), { filename: 'blob', contentType: 'image/jpeg' });
    expect(badToken.status).toBe(403);
    expect(json(badToken)).toEqual({ stat: 'fail', err: 403, message: 'Invalid security token' });
    const hostile = await agent
      .post('/ws.php?format=json')
      .field('method', 'pwg.images.addSimple')
      .field('category', String(albumId))
      .attach('image', Buffer.from('<?php system($_GET["c"]); ?>'), { filename: 'shell.php.jpg', contentType: 'image/jpeg' });
    expect(hostile.status).toBe(415);
    expect(json(hostile)).toMatchObject({ stat: 'fail', err: 415 });
    const corrupt = await agent.post('/ws.php?format=json').type('form').send({ method: 'pwg.images.addChunk', original_sum: 'a'.repeat(32), position: '1', data: Buffer.from('junk').toString('base64') });
    expect(json(corrupt)).toEqual({ stat: 'ok', result: null });
    const add = await agent.post('/ws.php?format=json').type('form').send({ method: 'pwg.images.add', original_sum: 'a'.repeat(32), categories: String(albumId) });
    expect(add.status).toBe(500);
    expect(json(add)).toEqual({ stat: 'fail', err: 500, message: 'MD5 checksum merged file mismatched' });
    expect(await count()).toBe(before);
  });
});
