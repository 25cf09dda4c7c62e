import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserService } from '../../src/users/user.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { golden, GoldenReplay, type Golden } from '../support/ws-golden-replay.js';

/**
 * The upload exchanges of the golden Piwigo 16.4 capture (12–30, 34–36), replayed in the
 * capture's order against the real app, after the login and album steps they depend on (04–11).
 * The capture's photos were 4000×3000 JPEGs named photo_0200… with EXIF date and GPS; the ones
 * sent here have the same names, dimensions, date and GPS, so every value Piwigo derives from
 * them (names, sizes of every derivative, latitude) must be equal. Only their bytes differ, so
 * md5 sums (exist's keys, getInfo's md5sum) and getInfo's filesize are mapped to this file's.
 */
let t: TestApp;
let server: Server;

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: 'http://127.0.0.1:8082' });
  server = t.app.getHttpServer() as Server;
  await t.app.get(UserService).create({ username: 'admin', password: 'adminpass', role: 'webmaster' });
});
afterAll(() => t?.close());

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** A 4000×3000 JPEG like make-photos.sh's photo_02NN.jpg: DateTimeOriginal 2022-09-01 08:20, GPS 43 N 1.5 W. */
function capturePhoto(seed: number): Promise<Buffer> {
  return sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 30 + seed * 50, g: 90, b: 200 - seed * 40 } } })
    .withExif({
      IFD0: { Make: 'Canon', Model: 'Canon EOS 5D Mark IV' },
      IFD2: { DateTimeOriginal: '2022:09:01 08:20:00' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 0/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '1/1 30/1 0/1' },
    })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** The golden with its response body transformed (keys or values that depend on the photo's bytes). */
function withBody(g: Golden, body: unknown): Golden {
  return { ...g, response: { ...g.response, body } };
}

describe('ws.php replays the golden pwg.images.* exchanges', () => {
  it('addSimple, duplicates, chunked upload, lounge, exist, getImages, getInfo, addChunk/add, in the capture order', async () => {
    const replay = new GoldenReplay();
    const jar = request.agent(server);
    const fresh = () => request(server);
    const pics = await Promise.all([0, 1, 2, 3].map(capturePhoto));

    await replay.replay(jar, golden('04'));
    await replay.replay(jar, golden('05'));
    for (const id of ['07', '08', '09', '10']) {
      const added = await replay.replay(jar, golden(id));
      expect((added['result'] as { id: number }).id).toBe((golden(id).response.body as { result: { id: number } }).result.id);
    }
    await replay.replay(jar, golden('11'));

    const first = await replay.replay(jar, golden('12'), { files: { image: pics[0]! } });
    expect((first['result'] as { image_id: number }).image_id).toBe(1);
    await replay.replay(jar, golden('13'), { files: { image: pics[0]! } });
    await replay.replay(fresh(), golden('14'), { files: { image: pics[1]! } });
    await replay.replay(jar, golden('15'));

    // 16–17: pwg.images.upload in 6 chunks (only the first and the last are in the capture)
    const size = Math.ceil(pics[1]!.length / 6);
    const chunks = [0, 1, 2, 3, 4, 5].map((i) => pics[1]!.subarray(i * size, (i + 1) * size));
    await replay.replay(jar, golden('16'), { files: { file: chunks[0]! } });
    const first16 = golden('16');
    for (let i = 1; i < 5; i++) {
      const middle: Golden = { ...first16, request: { ...first16.request, params: { ...first16.request.params, chunk: String(i) } } };
      expect(JSON.parse((await replay.send(jar, middle, { files: { file: chunks[i]! } })).text)).toEqual({ stat: 'ok', result: null });
    }
    await replay.replay(jar, golden('17'), { files: { file: chunks[5]! } });
    await replay.replay(jar, golden('18'), { files: { file: chunks[0]! } });
    await replay.replay(jar, golden('19'), { files: { file: pics[2]! } });
    await replay.replay(jar, golden('20'));
    await replay.replay(jar, golden('21'));
    await replay.replay(jar, golden('22'));

    // 23: exist by md5 — the capture's sums stand for this run's files
    const g23 = golden('23');
    const [goldenA, goldenB] = (g23.request.params['md5sum_list'] as string).split(',');
    replay.mapId(`${goldenA},${goldenB}`, `${md5(pics[0]!)},${md5(pics[3]!)}`);
    const body23 = g23.response.body as { stat: string; result: Record<string, string | null> };
    await replay.replay(jar, withBody(g23, { stat: body23.stat, result: { [md5(pics[0]!)]: body23.result[goldenA!], [md5(pics[3]!)]: body23.result[goldenB!] } }));
    await replay.replay(jar, golden('24'));
    await replay.replay(jar, golden('25'));
    await replay.replay(fresh(), golden('26'));
    await replay.replay(fresh(), golden('27'));
    await replay.replay(jar, golden('28'));
    await replay.replay(fresh(), golden('29'));

    const g30 = golden('30');
    const body30 = g30.response.body as { stat: string; result: Record<string, unknown> };
    const stored = (await t.db.dataSource.query(`SELECT file_size FROM photos WHERE id = 1`))[0] as { file_size: string };
    await replay.replay(jar, withBody(g30, { ...body30, result: { ...body30.result, md5sum: md5(pics[0]!), filesize: Math.round(Number(stored.file_size) / 1024) } }));

    // 34–36: the legacy chunked API (500000-byte chunks, base64)
    const g34 = golden('34');
    const sum3 = md5(pics[3]!);
    replay.mapId(g34.request.params['original_sum'] as string, sum3);
    replay.mapId(g34.request.params['data'] as string, pics[3]!.subarray(0, 500_000).toString('base64'));
    await replay.replay(jar, g34);
    for (let position = 2; (position - 1) * 500_000 < pics[3]!.length; position++) {
      const next = await jar
        .post('/ws.php?format=json')
        .type('form')
        .send({ method: 'pwg.images.addChunk', data: pics[3]!.subarray((position - 1) * 500_000, position * 500_000).toString('base64'), original_sum: sum3, position: String(position), type: 'file' });
      expect(JSON.parse(next.text)).toEqual({ stat: 'ok', result: null });
    }
    await replay.replay(jar, golden('35'));
    await replay.replay(jar, golden('36'));
    const [legacy] = await t.db.dataSource.query(`SELECT title, original_name, md5 FROM photos WHERE id = 4`);
    expect(legacy).toEqual({ title: 'Legacy add', original_name: 'photo_0203.jpg', md5: sum3 });
  });
});
