import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './content-disposition.js';

describe('attachmentDisposition', () => {
  it('folds accents in the ASCII fallback and percent-encodes filename*', () => {
    expect(attachmentDisposition('été.jpg', 'jpg', 'photo-1')).toBe(`attachment; filename="ete.jpg"; filename*=UTF-8''%C3%A9t%C3%A9.jpg`);
  });

  it('drops paths, quotes, controls and bidi overrides; forces the sniffed extension', () => {
    const header = attachmentDisposition('..\\..\\evil"\u202Egpj.html', 'jpg', 'photo-7');
    expect(header).toMatch(/^attachment; filename="evil_gpj\.jpg"; filename\*=UTF-8''evil%22gpj\.jpg$/);
  });

  it('falls back to a generated name', () => {
    expect(attachmentDisposition('', 'png', 'photo-3')).toBe(`attachment; filename="photo-3.png"; filename*=UTF-8''photo-3.png`);
    expect(attachmentDisposition('photo.jpeg', 'jpg', 'photo-3')).toContain('filename="photo.jpeg"');
  });
});
