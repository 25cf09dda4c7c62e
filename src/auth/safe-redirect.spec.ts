import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-redirect.js';

describe('safeNextPath', () => {
  it('keeps same-site relative paths', () => {
    expect(safeNextPath('/albums/3?page=2#top')).toBe('/albums/3?page=2#top');
    expect(safeNextPath('/')).toBe('/');
    expect(safeNextPath('/a/../b')).toBe('/b');
  });

  it.each([undefined, '', 'albums', 'https://evil.example/', '//evil.example', '/\\evil.example', '/\tevil', '\\\\evil', 'javascript:alert(1)', ['/x'], '/x'.repeat(1500)])(
    'refuses %j',
    (next) => {
      expect(safeNextPath(next)).toBe('/');
    },
  );

  it('keeps percent-escapes escaped (no header injection)', () => {
    expect(safeNextPath('/%0d%0aSet-Cookie:x')).toBe('/%0d%0aSet-Cookie:x');
  });
});
