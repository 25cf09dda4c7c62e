import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hardenSharp } from './sharp.hardening.js';

describe('hardenSharp', () => {
  it('stops sharp from rendering SVG, process-wide, and keeps JPEG working', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>');
    await expect(sharp(svg).png().toBuffer()).resolves.toBeInstanceOf(Buffer);
    hardenSharp();
    hardenSharp();
    await expect(sharp(svg).png().toBuffer()).rejects.toThrow(/unsupported image format/);
    const jpeg = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } }).jpeg().toBuffer();
    await expect(sharp(jpeg).png().toBuffer()).resolves.toBeInstanceOf(Buffer);
  });
});
