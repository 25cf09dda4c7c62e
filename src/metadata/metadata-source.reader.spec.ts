import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentSegment, exifSegment, insertJpegSegments, iptcSegment, jpegSegment, scanDataStart } from '../../test/fixtures/jpeg-segments.js';
import { extractMetadata } from './metadata.extractor.js';
import { readMetadataSource } from './metadata-source.reader.js';

let dir: string;
let noise: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-msrc-'));
  noise = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
    .jpeg()
    .toBuffer();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readMetadataSource', () => {
  it('reads a JPEG up to its first SOS marker, not its pixels', async () => {
    const jpeg = insertJpegSegments(noise, [commentSegment('meta')]);
    const file = join(dir, 'head.jpg');
    await writeFile(file, jpeg);
    const source = await readMetadataSource(file);
    expect(Buffer.isBuffer(source)).toBe(true);
    const sosAt = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    expect((source as Buffer).length).toBe(sosAt);
    expect((source as Buffer).includes(Buffer.from('meta'))).toBe(true);
    expect(sosAt).toBeLessThan(scanDataStart(jpeg));
  });

  it('reads small non-JPEG files whole and leaves large ones to exifr by path', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } }).png().toBuffer();
    const file = join(dir, 'small.png');
    await writeFile(file, png);
    expect(await readMetadataSource(file)).toEqual(png);
    expect(await readMetadataSource(file, 10)).toBe(file);
  });
});

describe('extractMetadata works around exifr chunk-boundary bugs', () => {
  it('finds IPTC wherever the segment falls relative to exifr’s 512-byte first chunk', async () => {
    const titles: Array<string | null> = [];
    for (let pad = 420; pad <= 600; pad += 6) {
      const file = join(dir, `pad-${pad}.jpg`);
      await writeFile(file, insertJpegSegments(noise, [commentSegment('x'.repeat(pad)), iptcSegment([[5, 'Hello'], [25, 'kw']])]));
      titles.push((await extractMetadata(file)).title);
    }
    expect(titles.every((t) => t === 'Hello')).toBe(true);
  });

  it('keeps EXIF when the IPTC block is malformed', async () => {
    const broken = Buffer.concat([
      Buffer.from('Photoshop 3.0\0', 'latin1'),
      Buffer.from('8BIM', 'latin1'),
      Buffer.from([0x04, 0x04, 0, 0, 0, 0, 0, 8]),
      Buffer.from([0x1c, 0x02, 0x05, 0x7f, 0xff, 0x61, 0x62, 0x63]),
    ]);
    const file = join(dir, 'broken-iptc.jpg');
    await writeFile(file, insertJpegSegments(noise, [exifSegment({ ifd0: { 0x010f: { type: 'ascii', value: 'Canon' } } }), jpegSegment(0xed, broken)]));
    const m = await extractMetadata(file);
    expect(m.cameraMake).toBe('Canon');
  });
});
