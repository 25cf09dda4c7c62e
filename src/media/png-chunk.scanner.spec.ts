import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iccpChunk, insertPngChunks, pngChunk, zTxtChunk } from '../../test/fixtures/container-builders.js';
import { FileByteReader } from './byte-reader.js';
import { DEFAULT_PNG_SCAN_LIMITS, scanPngChunks, type PngScanLimits } from './png-chunk.scanner.js';

let dir: string;
let basePng: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-png-'));
  basePng = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123' } }).png().toBuffer();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let counter = 0;
async function scan(png: Buffer, limits: Partial<PngScanLimits> = {}) {
  const path = join(dir, `f${counter++}.png`);
  await writeFile(path, png);
  const reader = await FileByteReader.open(path);
  try {
    return await scanPngChunks(reader, { ...DEFAULT_PNG_SCAN_LIMITS, ...limits });
  } finally {
    await reader.close();
  }
}

function iTxt(text: string, compressed: boolean): Buffer {
  const body = compressed ? deflateSync(Buffer.from(text)) : Buffer.from(text);
  return pngChunk('iTXt', Buffer.concat([Buffer.from(`XML:com.adobe.xmp\0${compressed ? '\u0001' : '\u0000'}\0en\0\0`, 'latin1'), body]));
}

describe('scanPngChunks', () => {
  it('returns inflated zTXt, compressed iTXt and iCCP payloads for the markup scan', async () => {
    const png = insertPngChunks(basePng, [zTxtChunk('Comment', Buffer.from('zzz')), iTxt('iii', true), iccpChunk('icc', Buffer.from('ppp'))]);
    const result = await scan(png);
    expect(result.inflated.map((b) => b.toString())).toEqual(['zzz', 'iii', 'ppp']);
  });

  it('keeps uncompressed chunks as raw structure ranges and skips IDAT', async () => {
    const png = insertPngChunks(basePng, [iTxt('plain xmp', false)]);
    const { structure, inflated } = await scan(png);
    expect(inflated).toEqual([]);
    const covered = (at: number) => structure.some((r) => at >= r.start && at < r.end);
    expect(covered(png.indexOf('plain xmp'))).toBe(true);
    expect(covered(png.indexOf('IDAT') + 6)).toBe(false);
  });

  it('refuses a compressed payload over the cap without inflating it all', async () => {
    const png = insertPngChunks(basePng, [iTxt('A'.repeat(2 * 1024 * 1024), true)]);
    await expect(scan(png, { maxChunkPayloadBytes: 1024 * 1024 })).rejects.toMatchObject({ code: 'upload.chunk_too_large', kind: 'too_large' });
    await expect(scan(png)).resolves.toBeDefined();
  });

  it('refuses when many small payloads add up past the total cap', async () => {
    const chunks = Array.from({ length: 5 }, () => zTxtChunk('c', Buffer.alloc(300_000, 0x42)));
    const png = insertPngChunks(basePng, chunks);
    await expect(scan(png, { maxTotalPayloadBytes: 1_000_000 })).rejects.toMatchObject({ code: 'upload.chunk_too_large' });
  });

  it('refuses an absurd number of chunks', async () => {
    const chunks = Array.from({ length: 50 }, () => pngChunk('tEXt', Buffer.from('k\0v', 'latin1')));
    const png = insertPngChunks(basePng, chunks);
    await expect(scan(png, { maxChunks: 40 })).rejects.toMatchObject({ code: 'upload.too_many_chunks', kind: 'invalid' });
    await expect(scan(png, { maxChunks: 100 })).resolves.toBeDefined();
  });

  it('ignores an invalid zlib stream (libpng skips such ancillary chunks) and scans data after IEND', async () => {
    const broken = pngChunk('zTXt', Buffer.from('Comment\0\0not zlib', 'latin1'));
    const png = Buffer.concat([insertPngChunks(basePng, [broken]), Buffer.from('AFTER-IEND')]);
    const { structure, inflated } = await scan(png);
    expect(inflated).toEqual([]);
    expect(structure.some((r) => r.end === png.length && r.start <= png.indexOf('AFTER-IEND'))).toBe(true);
  });
});
