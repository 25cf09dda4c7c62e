import { describe, expect, it } from 'vitest';
import { helperHarness } from './helper.testing.js';

describe('head and foot', () => {
  it('output what the providers returned, unchanged (trusted plugin HTML)', () => {
    const { render, warnings } = helperHarness();
    const extra = { head: '<link rel="alternate" href="/feed">', foot: '<script src="/p.js"></script>' };
    expect(render('{{head}}|{{foot}}', {}, undefined, extra)).toBe('<link rel="alternate" href="/feed">|<script src="/p.js"></script>');
    expect(render('{{head}}{{foot}}')).toBe('');
    expect(warnings).toEqual([]);
  });

  it('does not let page data reach the injection points', () => {
    const { render } = helperHarness();
    expect(render('{{head}}', { head: '<script>alert(1)</script>' })).toBe('');
  });

  it('renders nothing and warns when given arguments', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{head "x"}}{{foot 1}}', {}, undefined, { head: '<b>', foot: '<i>' })).toBe('');
    expect(warnings).toHaveLength(2);
  });
});
