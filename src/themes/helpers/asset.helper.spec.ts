import { describe, expect, it } from 'vitest';
import { HOSTILE, helperHarness } from './helper.testing.js';

describe('asset', () => {
  const assets = { 'css/site.css': 'abc123def456', 'img/my logo.svg': '0123456789ab' };

  // `=` comes out as &#x3D;: {{ }} escapes it, and browsers decode it in attributes.
  it('returns a fingerprinted URL under the base path', () => {
    const { render, warnings } = helperHarness({ assets });
    expect(render('{{asset "css/site.css"}}')).toBe('/gallery/assets/test/css/site.css?v&#x3D;abc123def456');
    expect(render('{{asset "img/my logo.svg"}}')).toBe('/gallery/assets/test/img/my%20logo.svg?v&#x3D;0123456789ab');
    expect(warnings).toEqual([]);
  });

  it('refuses paths that leave assets/, and missing files', () => {
    const { render, warnings } = helperHarness({ assets });
    for (const path of ['../package.json', '/etc/passwd', 'css/../../x', 'css//site.css', 'missing.css', ...HOSTILE]) {
      expect(render(`{{asset p}}`, { p: path })).toBe('');
    }
    expect(render('{{asset}}')).toBe('');
    expect(render('{{asset 42}}')).toBe('');
    expect(warnings).toHaveLength(10);
    expect(warnings.join('\n')).toContain('no such file assets/missing.css');
  });
});
