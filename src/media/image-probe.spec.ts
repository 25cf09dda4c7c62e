import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineError } from '../common/errors.js';
import { makeHostileFixtures, type Fixture } from '../../test/fixtures/make-hostile-fixtures.js';
import { probeImage, type ProbeLimits } from './image-probe.js';

let dir: string;
let fixtures: Record<string, Fixture>;
const limits: ProbeLimits = { maxImagePixels: 100_000_000 };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-probe-'));
  fixtures = await makeHostileFixtures(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const fixture = (name: string): Fixture => {
  const f = fixtures[name];
  if (!f) throw new Error(`no fixture ${name}`);
  return f;
};

async function refusal(path: string, probeLimits: ProbeLimits = limits): Promise<VitrineError> {
  try {
    await probeImage(path, probeLimits);
  } catch (error) {
    expect(error).toBeInstanceOf(VitrineError);
    return error as VitrineError;
  }
  throw new Error(`${path} was accepted`);
}

describe('probeImage on the acceptance fixtures', () => {
  it('generates every fixture', () => {
    expect(Object.keys(fixtures).length).toBeGreaterThanOrEqual(30);
  });

  const names = [
    'empty.jpg', 'text.jpg', 'html.jpg', 'svg-script.jpg', 'plain.svg', 'archive.jpg', 'document.jpg', 'phone.heic',
    'polyglot-comment.jpg', 'polyglot-trailer.jpg', 'polyglot-scan.jpg', 'polyglot-ztxt.png', 'truncated.jpg',
    'huge-header.png', 'huge-header.jpg', 'ztxt-bomb.png', 'iccp-bomb.png', 'many-frames.gif', 'big-animation.gif',
    'metadata-bomb.jpg', 'xmp-xxe.jpg',
    'orientation-6.jpg', 'alpha.png', 'text-chunk.png', 'cmyk.jpg', 'gps-iptc.jpg', 'metadata-impossible.jpg',
    'animated.gif', 'animated.webp', 'still.webp', 'still.avif', 'still.tif', 'xmp-plain.jpg',
  ];

  it.each(names)('%s gets the expected answer and the file is left untouched', async (name) => {
    const f = fixture(name);
    const before = await stat(f.path);
    if (f.expect.accept) {
      const probed = await probeImage(f.path, limits);
      expect(probed.format).toBe(f.expect.format);
      expect([probed.width, probed.height]).toEqual([f.expect.width, f.expect.height]);
      if (f.expect.orientation !== undefined) expect(probed.orientation).toBe(f.expect.orientation);
      if (f.expect.pages !== undefined) expect(probed.pages).toBe(f.expect.pages);
      if (f.expect.hasAlpha !== undefined) expect(probed.hasAlpha).toBe(f.expect.hasAlpha);
      expect(probed.size).toBe(before.size);
    } else {
      const error = await refusal(f.path);
      expect({ kind: error.kind, code: error.code }).toEqual({ kind: f.expect.kind, code: f.expect.code });
      if (f.expect.detected) expect(error.message).toContain(`(detected: ${f.expect.detected})`);
    }
    const after = await stat(f.path);
    expect(after.size).toBe(before.size);
  });

  it('probing creates no files next to the input', async () => {
    const before = (await readdir(dir)).sort();
    for (const name of names) await probeImage(fixture(name).path, limits).catch(() => undefined);
    expect((await readdir(dir)).sort()).toEqual(before);
  });
});

describe('probeImage details', () => {
  it('describes a JPEG with orientation 6 after rotation, and its MIME type and extension', async () => {
    const probed = await probeImage(fixture('orientation-6.jpg').path, limits);
    expect(probed).toMatchObject({ format: 'jpeg', mime: 'image/jpeg', ext: 'jpg', width: 40, height: 60, orientation: 6, pages: 1 });
  });

  it('says what the file was instead, without echoing its content', async () => {
    const error = await refusal(fixture('svg-script.jpg').path);
    expect(error.message).toBe('This file is not a supported image (detected: SVG).');
    expect(error.message).not.toContain('alert');
  });

  it('refuses HEIC with a 415 that explains what to do', async () => {
    const error = await refusal(fixture('phone.heic').path);
    expect(error.kind).toBe('unsupported');
    expect(error.message).toMatch(/HEIC/);
    expect(error.message).toMatch(/JPEG/);
  });

  it('reports the claimed dimensions when the header is too large', async () => {
    const error = await refusal(fixture('huge-header.png').path);
    expect(error.message).toBe('This image is 30000×30000 pixels (900 MP); the limit is 100 MP.');
  });

  it('applies the configured pixel limit, not sharp’s default', async () => {
    const path = join(dir, 'ten-mp.png');
    await writeFile(path, await sharp({ create: { width: 4000, height: 2500, channels: 3, background: '#000' } }).png().toBuffer());
    await expect(probeImage(path, { maxImagePixels: 10_000_000 })).resolves.toMatchObject({ width: 4000 });
    const error = await refusal(path, { maxImagePixels: 9_999_999 });
    expect(error.code).toBe('upload.too_many_pixels');
  });

  it('caps frames and frames × pixels with configurable limits', async () => {
    expect((await refusal(fixture('animated.gif').path, { ...limits, maxFrames: 2 })).code).toBe('upload.too_many_frames');
    const tight = { ...limits, maxAnimationPixels: 250 };
    expect((await refusal(fixture('animated.gif').path, tight)).code).toBe('upload.animation_too_large');
  });

  it('refuses a PNG chunk bomb with a lower configured cap', async () => {
    const error = await refusal(fixture('text-chunk.png').path, { ...limits, png: { maxChunkPayloadBytes: 10 } });
    expect(error.code).toBe('upload.chunk_too_large');
  });

  it('refuses a JPEG whose scan data was cut in the middle of a marker segment', async () => {
    const good = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#555' } }).jpeg().toBuffer();
    const path = join(dir, 'cut-header.jpg');
    await writeFile(path, good.subarray(0, 30));
    expect((await refusal(path)).code).toBe('upload.corrupt');
  });
});
