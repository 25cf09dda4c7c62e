import { describe, expect, it } from 'vitest';
import { sniffFileType } from './file-type.sniffer.js';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

function ftyp(major: string, ...compatible: string[]): Buffer {
  const body = bytes('ftyp', major, [0, 0, 0, 0], ...compatible);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length + 4);
  return Buffer.concat([size, body, Buffer.alloc(32)]);
}

describe('sniffFileType', () => {
  it.each([
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['gif', bytes('GIF89a')],
    ['gif', bytes('GIF87a')],
    ['webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
    ['tiff', bytes('II*', [0], [8, 0, 0, 0])],
    ['tiff', bytes('MM', [0], '*', [0, 0, 0, 8])],
    ['avif', ftyp('avif', 'mif1', 'miaf')],
    ['avif', ftyp('mif1', 'avif')],
  ])('recognises %s by its magic bytes', (format, head) => {
    expect(sniffFileType(head)).toEqual({ kind: 'image', format });
  });

  it('tells HEIC apart from AVIF even though both are HEIF containers', () => {
    expect(sniffFileType(ftyp('heic', 'mif1', 'heic'))).toEqual({ kind: 'heic' });
    expect(sniffFileType(ftyp('mif1', 'heic'))).toEqual({ kind: 'heic' });
  });

  it.each([
    ['SVG', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ['SVG', '\ufeff<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg width="1">'],
    ['HTML', '<!doctype html><title>x</title>'],
    ['HTML', '  <HTML><BODY>hi'],
    ['HTML', '<script>alert(1)</script>'],
    ['XML', '<?xml version="1.0"?><root/>'],
    ['PHP script', '<?php system($_GET["c"]);'],
    ['text', 'just words\n'],
    ['PDF', '%PDF-1.7'],
    ['ZIP archive', 'PK\x03\x04rest'],
    ['GZIP archive', '\x1f\x8b\x08'],
    ['BMP', 'BM\x00\x00\x00\x00'],
    ['Photoshop PSD', '8BPS\x00\x01'],
    ['Canon CR2 raw', 'II*\x00\x10\x00\x00\x00CR\x02\x00'],
  ])('labels %s', (label, content) => {
    expect(sniffFileType(Buffer.from(content, content.startsWith('\ufeff') ? 'utf8' : 'latin1'))).toEqual({ kind: 'other', label });
  });

  it('labels video containers and unknown binary data', () => {
    expect(sniffFileType(ftyp('qt  '))).toEqual({ kind: 'other', label: 'QuickTime video' });
    expect(sniffFileType(ftyp('isom', 'mp42'))).toEqual({ kind: 'other', label: 'MP4 media' });
    expect(sniffFileType(Buffer.from([0x00, 0x13, 0x37, 0x00, 0x99]))).toEqual({ kind: 'other', label: 'unknown binary data' });
    expect(sniffFileType(Buffer.alloc(0))).toEqual({ kind: 'other', label: 'empty file' });
  });

  it('does not trust a JPEG-looking name or a partial signature', () => {
    expect(sniffFileType(bytes([0xff, 0xd8]))).toEqual({ kind: 'other', label: 'unknown binary data' });
    expect(sniffFileType(bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'))).toEqual({ kind: 'other', label: 'AVI video' });
  });
});
