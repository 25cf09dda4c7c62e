import { describe, expect, it } from 'vitest';
import { HOSTILE, helperHarness, testIndexPage, testSite } from './helper.testing.js';

describe('date', () => {
  it('formats in the page locale, keeping the recorded wall-clock time', () => {
    const { render, warnings } = helperHarness();
    const d = { d: '2024-06-14T18:30:00+09:00' };
    expect(render('{{date d}}', d)).toBe('Jun 14, 2024');
    expect(render('{{date d format="long"}}', d)).toBe('June 14, 2024');
    expect(render('{{date d format="datetime"}}', d)).toMatch(/^Jun 14, 2024, 6:30\sPM$/);
    expect(render('{{date d format="month"}}', d)).toBe('June 2024');
    expect(render('{{date d format="year"}}', d)).toBe('2024');
    expect(render('{{date d format="long"}}', d, testIndexPage(testSite({ locale: 'de' })))).toBe('14. Juni 2024');
    expect(render('{{date d format="long"}}', d, testIndexPage(testSite({ locale: 'fr-FR' })))).toBe('14 juin 2024');
    expect(warnings).toEqual([]);
  });

  it('converts to a time zone on request', () => {
    const { render } = helperHarness();
    expect(render('{{date d format="time" timeZone="UTC"}}', { d: '2024-06-14T18:30:00+09:00' })).toMatch(/^9:30\sAM$/);
    expect(render('{{date d format="iso" timeZone="UTC"}}', { d: '2024-06-14T18:30:00+09:00' })).toBe('2024-06-14T09:30:00.000Z');
  });

  it('renders nothing and warns on bad input', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{date d}}', { d: '2024-02-31' })).toBe('');
    expect(render('{{date d}}', { d: 'yesterday' })).toBe('');
    expect(render('{{date d}}', { d: 12 })).toBe('');
    expect(render('{{date d format="fancy"}}', { d: '2024-01-01' })).toBe('');
    expect(render('{{date d timeZone="Mars/Olympus"}}', { d: '2024-01-01' })).toBe('');
    for (const evil of HOSTILE) expect(render('{{date d}}', { d: evil })).toBe('');
    expect(warnings).toHaveLength(5 + HOSTILE.length);
    expect(warnings.join('\n')).not.toContain('<script>alert(1)</script>x');
  });
});
