import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XXE_SECRET, makeHostileFixtures, type Fixture } from '../../test/fixtures/make-hostile-fixtures.js';
import { exifSegment, insertJpegSegments, iptcSegment, xmpPacket, xmpSegment } from '../../test/fixtures/jpeg-segments.js';
import { extractMetadata, xmpCoordinate } from './metadata.extractor.js';
import { emptyMetadata, METADATA_LIMITS } from './metadata.model.js';

let dir: string;
let fixtures: Record<string, Fixture>;
let plain: Buffer;
const now = new Date('2025-06-01T12:00:00Z');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-meta-'));
  fixtures = await makeHostileFixtures(dir);
  plain = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } }).jpeg().toBuffer();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const path = (name: string) => fixtures[name]!.path;

/** Every string anywhere in a value, for "nothing unsafe anywhere" checks. */
function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object' && !(value instanceof Date)) return Object.entries(value).flatMap(([k, v]) => [k, ...allStrings(v)]);
  return [];
}

describe('extractMetadata on a well-tagged photo', () => {
  it('maps EXIF, GPS, IPTC and XMP onto the photo columns', async () => {
    const m = await extractMetadata(path('gps-iptc.jpg'), { now });
    expect(m).toMatchObject({
      title: 'Statue of Liberty',
      description: 'Liberty Island, New York',
      author: 'Jane Doe',
      copyright: '© Jane Doe',
      rating: 4,
      takenAtOffset: '+02:00',
      cameraMake: 'Canon',
      cameraModel: 'Canon EOS 5D Mark IV',
      lens: 'EF50mm f/1.8 STM',
      iso: 400,
      exposureTime: 0.004,
      fNumber: 2.8,
      focalLength: 50,
      orientation: 1,
    });
    expect(m.takenAt?.toISOString()).toBe('2024-05-02T06:00:00.000Z');
    expect(m.latitude).toBeCloseTo(40.6892, 4);
    expect(m.longitude).toBeCloseTo(-74.0445, 4);
    expect(m.tags).toEqual(['liberty', 'statue', 'new york', 'café']);
  });

  it('leaves the IPTC U+0000 (ApplicationRecordVersion) nowhere in the result', async () => {
    const m = await extractMetadata(path('gps-iptc.jpg'), { now });
    expect(JSON.stringify(m)).not.toMatch(/\\u0000/);
  });

  it('keeps no GPS in raw: location lives only in latitude/longitude', async () => {
    const m = await extractMetadata(path('gps-iptc.jpg'), { now });
    expect(allStrings(m.raw).filter((s) => /^GPS|latitude|longitude/i.test(s))).toEqual([]);
  });

  it('reads a Buffer as well as a path', async () => {
    const m = await extractMetadata(await readFile(path('gps-iptc.jpg')), { now });
    expect(m.title).toBe('Statue of Liberty');
  });
});

describe('extractMetadata never trusts or throws', () => {
  it('drops every impossible field', async () => {
    const m = await extractMetadata(path('metadata-impossible.jpg'), { now });
    expect(m).toMatchObject({
      takenAt: null,
      takenAtOffset: null,
      latitude: null,
      longitude: null,
      rating: null,
      orientation: null,
      iso: null,
      exposureTime: null,
      fNumber: null,
      focalLength: null,
      cameraMake: null,
      title: null,
    });
    expect(m.description).toBe('café crème');
    expect(m.author).toBe('J\uFFFD(\uFFFDA');
    expect(m.cameraModel).toHaveLength(METADATA_LIMITS.camera);
    expect(m.tags.length).toBe(100);
    expect(m.tags.every((t) => t.length <= 100 && t.trim() === t && t !== '')).toBe(true);
  });

  it('stays bounded on megabytes of markup-laden metadata', async () => {
    const m = await extractMetadata(path('metadata-bomb.jpg'), { now });
    expect(m.title!.length).toBeLessThanOrEqual(METADATA_LIMITS.title);
    expect(m.description!.length).toBeLessThanOrEqual(METADATA_LIMITS.description);
    expect(m.tags.length).toBeLessThanOrEqual(100);
    expect(Buffer.byteLength(JSON.stringify(m.raw))).toBeLessThanOrEqual(METADATA_LIMITS.rawBytes);
    expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThan(100 * 1024);
    for (const s of allStrings(m)) expect(s).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u202A-\u202E]/);
    expect(m.author).toBe('ABevil \uFFFD(\uFFFD\uFFFD');
    expect(m.cameraMake).toBe('<img src=x onerror=alert(1)>'); // kept as text; escaped on output
  });

  it('never resolves an external entity declared in XMP', async () => {
    expect(await readFile(path('secret.txt'), 'utf8')).toContain(XXE_SECRET);
    const m = await extractMetadata(path('xmp-xxe.jpg'), { now });
    expect(JSON.stringify(m)).not.toContain(XXE_SECRET);
    expect(m.title).toBe('Title &xxe;');
    expect(m.tags).toEqual(['&xxe;', 'ok']);
  });

  it.each(['animated.gif', 'still.webp', 'alpha.png', 'empty.jpg', 'html.jpg', 'archive.jpg'])('returns empty metadata for %s', async (name) => {
    const m = await extractMetadata(path(name), { now });
    expect({ ...m, raw: {} }).toEqual({ ...emptyMetadata(), raw: {} });
  });

  it('returns empty metadata for a missing file', async () => {
    expect(await extractMetadata(join(dir, 'nope.jpg'))).toEqual(emptyMetadata());
  });
});

describe('precedence and fallbacks', () => {
  async function jpegWith(name: string, segments: Buffer[]): Promise<string> {
    const file = join(dir, name);
    await writeFile(file, insertJpegSegments(plain, segments));
    return file;
  }

  it('prefers XMP over IPTC over EXIF for descriptive fields', async () => {
    const file = await jpegWith('precedence.jpg', [
      exifSegment({ ifd0: { 0x010e: { type: 'ascii', value: 'exif caption' }, 0x013b: { type: 'ascii', value: 'Exif Artist' } } }),
      iptcSegment([[5, 'iptc title'], [80, 'Iptc Byline']]),
      xmpSegment(xmpPacket('<dc:title><rdf:Alt><rdf:li xml:lang="fr">titre</rdf:li><rdf:li xml:lang="x-default">xmp title</rdf:li></rdf:Alt></dc:title>')),
    ]);
    const m = await extractMetadata(file, { now });
    expect([m.title, m.author, m.description]).toEqual(['xmp title', 'Iptc Byline', 'exif caption']);
  });

  it('ignores camera placeholder descriptions', async () => {
    const file = await jpegWith('olympus.jpg', [exifSegment({ ifd0: { 0x010e: { type: 'ascii', value: 'OLYMPUS DIGITAL CAMERA         ' } } })]);
    expect((await extractMetadata(file, { now })).description).toBeNull();
  });

  it('falls back to XMP dates and XMP GPS', async () => {
    const file = await jpegWith('xmp-only.jpg', [
      xmpSegment(
        xmpPacket(
          '',
          'xmlns:exif="http://ns.adobe.com/exif/1.0/" photoshop:DateCreated="2020-01-01T10:00:00-03:00" exif:GPSLatitude="40,41.352N" exif:GPSLongitude="74,2.67W"',
        ),
      ),
    ]);
    const m = await extractMetadata(file, { now });
    expect(m.takenAt?.toISOString()).toBe('2020-01-01T13:00:00.000Z');
    expect(m.takenAtOffset).toBe('-03:00');
    expect(m.latitude).toBeCloseTo(40.6892, 4);
    expect(m.longitude).toBeCloseTo(-74.0445, 4);
  });

  it('falls back to IPTC dates when EXIF has an impossible one', async () => {
    const file = await jpegWith('iptc-date.jpg', [
      exifSegment({ ifd0: {}, exif: { 0x9003: { type: 'ascii', value: '0000:00:00 00:00:00' } } }),
      iptcSegment([[55, '19991231'], [60, '235959+0100']]),
    ]);
    const m = await extractMetadata(file, { now });
    expect(m.takenAt?.toISOString()).toBe('1999-12-31T22:59:59.000Z');
  });

  it('parses XMP GPS coordinates', () => {
    expect(xmpCoordinate('48,51.5N')).toBeCloseTo(48.8583, 4);
    expect(xmpCoordinate('2,17,40W')).toBeCloseTo(-2.2944, 4);
    expect(xmpCoordinate('north')).toBeNull();
  });
});
