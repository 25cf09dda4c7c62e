import { describe, expect, it } from 'vitest';
import { HOSTILE, helperHarness, testIndexPage, testSite } from './helper.testing.js';

const dictionaries = {
  en: { '{count} photos': { one: '{count} photo', other: '{count} photos' } },
  fr: {
    Albums: 'Albums',
    'Photo {index} of {total}': 'Photo {index} sur {total}',
    '{count} photos': { zero: 'Aucune photo', one: '{count} photo', other: '{count} photos' },
  },
};

describe('t', () => {
  const fr = testIndexPage(testSite({ locale: 'fr-CA' }));

  it('translates with fallback fr-CA → fr → en → key', () => {
    const { render, warnings } = helperHarness({ dictionaries });
    expect(render('{{t "Photo {index} of {total}" index=2 total=10}}', {}, fr)).toBe('Photo 2 sur 10');
    expect(render('{{t "Untranslated"}}', {}, fr)).toBe('Untranslated');
    expect(render('{{t "{count} photos" count=1}}')).toBe('1 photo');
    expect(warnings).toEqual([]);
  });

  it('picks plural forms and formats numbers for the locale', () => {
    const { render } = helperHarness({ dictionaries });
    expect(render('{{t "{count} photos" count=0}}', {}, fr)).toBe('Aucune photo');
    expect(render('{{t "{count} photos" count=1}}', {}, fr)).toBe('1 photo');
    expect(render('{{t "{count} photos" count=1234}}', {}, fr)).toMatch(/^1\s234 photos$/);
    expect(render('{{t "{count} photos" count=1234}}')).toBe('1,234 photos');
  });

  it('escapes interpolated values and hostile keys', () => {
    const { render } = helperHarness({ dictionaries });
    for (const evil of HOSTILE) {
      const out = render('<p title="{{t "By {name}" name=n}}">{{t key}}</p>', { n: evil, key: evil });
      expect(out).not.toMatch(/<script|<img|' onmouseover/);
      expect(out.match(/"/g)).toHaveLength(2);
    }
  });

  it('renders nothing and warns without a key', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{t}}')).toBe('');
    expect(render('{{t 3}}')).toBe('');
    expect(render('{{t nothing}}')).toBe('');
    expect(warnings).toHaveLength(3);
  });
});
