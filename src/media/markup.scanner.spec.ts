import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentSegment, insertJpegSegments, scanDataStart } from '../../test/fixtures/jpeg-segments.js';
import { FileByteReader } from './byte-reader.js';
import { walkGif, walkJpeg, walkWebp } from './container.walkers.js';
import { FILE_MARKUP, STRUCTURE_MARKUP, coalesce, findFileMarkup, findMarkup, scanRanges } from './markup.scanner.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-markup-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Deterministic pseudo-random bytes (xorshift32), standing in for compressed pixel data. */
function pseudoRandom(length: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('markup patterns', () => {
  it.each(['<script>', '<SCRIPT src=x>', '<html>', '<body onload=x>', '<iframe/src=x>', '<?php echo', '<!DOCTYPE html>', '<object data=x>'])(
    'both tiers catch %s',
    (token) => {
      expect(findMarkup(Buffer.from(`xx${token}yy`, 'latin1'), FILE_MARKUP)).toBeDefined();
      expect(findMarkup(Buffer.from(`xx${token}yy`, 'latin1'), STRUCTURE_MARKUP)).toBeDefined();
    },
  );

  it.each(['<svg onload=alert(1)>', '<img src=x onerror=alert(1)>', '<a href=# onclick="x">', '<!DOCTYPE x [', '<!ENTITY xxe SYSTEM "f">', '<meta http-equiv=refresh>'])(
    'the structure tier also catches %s',
    (token) => {
      expect(findMarkup(Buffer.from(token, 'latin1'), STRUCTURE_MARKUP)).toBeDefined();
    },
  );

  it.each(['<b>bold</b>', 'a < b > c', 'x:xmpmeta', '<x:xmpmeta xmlns:x="adobe:ns:meta/">', '<rdf:li>online=yes</rdf:li>', 'scripts and html'])(
    'leaves ordinary text alone: %s',
    (text) => {
      expect(findMarkup(Buffer.from(text, 'latin1'), STRUCTURE_MARKUP)).toBeUndefined();
    },
  );

  it('names the token found, with its offset', () => {
    expect(findMarkup(Buffer.from('....<img src=x onerror=alert(1)>'), STRUCTURE_MARKUP, 100)).toEqual({ token: 'onerror=', offset: 104 });
    expect(findMarkup(Buffer.from('<SVG/onload=1>'), STRUCTURE_MARKUP)).toEqual({ token: '<svg', offset: 0 });
  });

  it('does not fire on 32 MB of pseudo-random bytes (the whole-file tier)', () => {
    expect(findMarkup(pseudoRandom(32 * 1024 * 1024), FILE_MARKUP)).toBeUndefined();
  });
});

describe('findFileMarkup (the whole-file tier without a regex)', () => {
  /** The specification: the regex over the latin1 text. */
  const byRegex = (bytes: Buffer, offset = 0) => {
    const match = FILE_MARKUP.exec(bytes.toString('latin1'));
    return match ? { index: match.index + offset, text: match[0] } : undefined;
  };

  it.each([
    '<script>', '<SCRIPT src=x>', '<ScRiPt\t', '<html>', '<HTML/', '<body\n', '<iframe\r', '<object\f', '<embed\v',
    '<?php echo', '<?PHP\n', '<!DOCTYPE html>', '<!doctype\t\n  HTML', '<!DoCtYpE\u00a0html',
  ])('finds %j like the regex', (token) => {
    const bytes = Buffer.from(`ab<<${token}zz`, 'latin1');
    expect(byRegex(bytes, 7)?.index).toBe(11);
    expect(findFileMarkup(bytes, 7)).toEqual(findMarkupByRegex(bytes, 7));
  });

  it.each([
    '<scrip>', '<script', '<scriptx', '<script\u0085', '<script\u0000', '<htm>', '<bodyy>', '<?php', '<?phpx', '<?ph p ',
    '<!doctype', '<!doctypehtml', '<!doctype htm', '<!doctype\u0085html', '< script>', '<\u017fcript>', 'script>', '<svg onload=x>',
  ])('leaves %j alone, like the regex', (text) => {
    const bytes = Buffer.from(`x${text}`, 'latin1');
    expect(byRegex(bytes)).toBeUndefined();
    expect(findFileMarkup(bytes)).toBeUndefined();
  });

  it('keeps the unbounded whitespace of <!doctype\\s+html', () => {
    const bytes = Buffer.from(`<!doctype${' \t'.repeat(5000)}html`, 'latin1');
    expect(byRegex(bytes)?.index).toBe(0);
    expect(findFileMarkup(bytes, 10)).toEqual({ token: '<!doctype', offset: 10 });
  });

  it('agrees with the regex on 20 000 generated buffers (random bytes seeded with near-miss tokens)', () => {
    const pieces = ['<', '<s', '<script', '<SCRIPT', 'script', '<html', '<body', '<iframe', '<object', '<embed', '<?php', '<?PHP', '<!doctype', '<!DOCTYPE', 'html', 'HTML', ' ', '\t', '\n', '\u000b', '\f', '\r', '\u00a0', '\u0085', '/', '>', 'x', '<<', '!'];
    let seed = 12345;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    for (let n = 0; n < 20_000; n++) {
      const parts: Buffer[] = [];
      const count = 1 + (next() % 8);
      for (let k = 0; k < count; k++) {
        if (next() % 3 === 0) parts.push(pseudoRandom(next() % 40, next() | 1));
        else parts.push(Buffer.from(pieces[next() % pieces.length]!, 'latin1'));
      }
      const bytes = Buffer.concat(parts);
      const expected = byRegex(bytes, 3);
      const found = findFileMarkup(bytes, 3);
      expect(found?.offset, bytes.toString('latin1')).toBe(expected?.index);
      if (expected) expect(found).toEqual(findMarkupByRegex(bytes, 3));
    }
  });
});

/** The pre-optimisation path (regex over the latin1 text), for comparing token names. */
function findMarkupByRegex(bytes: Buffer, offset: number) {
  const wrapped = new RegExp(FILE_MARKUP.source, FILE_MARKUP.flags);
  return findMarkup(bytes, wrapped, offset);
}

describe('scanRanges', () => {
  it('finds a token that straddles the 1 MiB streaming boundary', async () => {
    const content = Buffer.alloc(3 * 1024 * 1024, 0x20);
    content.write('<script>', 1024 * 1024 - 4, 'latin1');
    const path = join(dir, 'straddle.bin');
    await writeFile(path, content);
    const reader = await FileByteReader.open(path);
    try {
      expect(await scanRanges(reader, [{ start: 0, end: reader.size }], FILE_MARKUP)).toEqual({ token: '<script', offset: 1024 * 1024 - 4 });
      expect(await scanRanges(reader, [{ start: 0, end: 1024 }], FILE_MARKUP)).toBeUndefined();
    } finally {
      await reader.close();
    }
  });

  it('coalesces nearby ranges', () => {
    expect(coalesce([{ start: 200, end: 300 }, { start: 0, end: 10 }, { start: 20, end: 30 }, { start: 5, end: 8 }])).toEqual([
      { start: 0, end: 30 },
      { start: 200, end: 300 },
    ]);
  });
});

describe('structure walkers', () => {
  it('JPEG: covers marker segments and trailers but not entropy-coded data', async () => {
    const noise = await sharp({ create: { width: 128, height: 128, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
      .jpeg()
      .toBuffer();
    const jpeg = Buffer.concat([insertJpegSegments(noise, [commentSegment('hello')]), Buffer.from('TRAILER')]);
    const path = join(dir, 'walk.jpg');
    await writeFile(path, jpeg);
    const reader = await FileByteReader.open(path);
    try {
      const ranges = await walkJpeg(reader);
      const covered = (at: number) => ranges.some((r) => at >= r.start && at < r.end);
      expect(covered(jpeg.indexOf('hello'))).toBe(true);
      expect(covered(jpeg.indexOf('TRAILER'))).toBe(true);
      const scan = scanDataStart(jpeg);
      expect(covered(scan + 100)).toBe(false);
      expect(covered(jpeg.length - 'TRAILER'.length - 3)).toBe(false);
    } finally {
      await reader.close();
    }
  });

  it('GIF: covers comment extensions but not LZW image data', async () => {
    const gif = Buffer.concat([
      Buffer.from('GIF89a', 'latin1'),
      Buffer.from([1, 0, 1, 0, 0x80, 0, 0]),
      Buffer.from([0, 0, 0, 255, 255, 255]),
      Buffer.from([0x21, 0xfe, 5]),
      Buffer.from('hello', 'latin1'),
      Buffer.from([0]),
      Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3b]),
    ]);
    const path = join(dir, 'walk.gif');
    await writeFile(path, gif);
    const reader = await FileByteReader.open(path);
    try {
      const ranges = await walkGif(reader);
      const covered = (at: number) => ranges.some((r) => at >= r.start && at < r.end);
      expect(covered(gif.indexOf('hello'))).toBe(true);
      expect(covered(gif.length - 4)).toBe(false); // 0x44 of the LZW data
    } finally {
      await reader.close();
    }
  });

  it('WebP: skips VP8 data but covers EXIF/XMP chunks', async () => {
    const webp = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#a00' } }).webp().withXmp('<x:xmpmeta>MARK</x:xmpmeta>').toBuffer();
    const path = join(dir, 'walk.webp');
    await writeFile(path, webp);
    const reader = await FileByteReader.open(path);
    try {
      const ranges = await walkWebp(reader);
      const covered = (at: number) => ranges.some((r) => at >= r.start && at < r.end);
      expect(covered(webp.indexOf('MARK'))).toBe(true);
      const vp8 = Math.max(webp.indexOf('VP8 '), webp.indexOf('VP8L'));
      expect(vp8).toBeGreaterThan(0);
      expect(covered(vp8 + 12)).toBe(false);
    } finally {
      await reader.close();
    }
  });

  it('a polyglot token in the scan data is still caught by the whole-file tier', async () => {
    expect(findMarkup(pseudoRandom(4096), STRUCTURE_MARKUP)).toBeUndefined();
    const noisy = pseudoRandom(4096);
    noisy.write('<script>x</script>', 2000, 'latin1');
    expect(findMarkup(noisy, FILE_MARKUP)?.token).toBe('<script');
  });
});
