import { describe, expect, it } from 'vitest';
import { chooseSort, orderByOf, parsePage, PHOTO_SORTS, sortOptions } from './photo-sort.js';
import { likeContains } from './site-album.repository.js';
import { queryString, SitePaths } from './site-paths.js';

describe('photo sorts', () => {
  it('accepts allowlisted keys only and keeps album order out of non-album lists', () => {
    expect(chooseSort('title', true)).toBe('title');
    expect(chooseSort('p.id; DROP TABLE photos', true)).toBe('manual');
    expect(chooseSort(['title'], true)).toBe('manual');
    expect(chooseSort('__proto__', false)).toBe('taken-desc');
    expect(chooseSort('manual', false)).toBe('taken-desc');
    for (const key of Object.keys(PHOTO_SORTS)) expect(orderByOf(key)).toMatch(/^[a-z_.(), ']+( (ASC|DESC))?( NULLS LAST)?(, [a-z_.]+( (ASC|DESC))?)*$/i);
  });

  it('builds options whose default carries no parameter', () => {
    const options = sortOptions('title', true, (s) => (s ? `/a?sort=${s}` : '/a'));
    expect(options.find((o) => o.value === 'manual')).toMatchObject({ url: '/a', selected: false });
    expect(options.find((o) => o.value === 'title')).toMatchObject({ url: '/a?sort=title', selected: true });
    expect(sortOptions('taken-desc', false, () => '').some((o) => o.value === 'manual')).toBe(false);
  });

  it('parses ?page= strictly', () => {
    expect(parsePage(undefined)).toBe(1);
    expect(parsePage('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'x', '01', '9999999', ['2']]) expect(parsePage(bad)).toBeNull();
  });
});

describe('LIKE patterns', () => {
  it('escapes wildcards and the escape character', () => {
    expect(likeContains('100%_off')).toBe('%100\\%\\_off%');
    expect(likeContains('a\\b')).toBe('%a\\\\b%');
  });
});

describe('site paths', () => {
  it('prefixes the base path and encodes parts', () => {
    const paths = new SitePaths('https://photos.example.com/gallery/');
    expect(paths.base).toBe('/gallery');
    expect(paths.album(12, 'paris', { page: 1, sort: undefined })).toBe('/gallery/albums/12-paris');
    expect(paths.album(12, 'paris', { page: 2, sort: 'title' })).toBe('/gallery/albums/12-paris?page=2&sort=title');
    expect(paths.photo(3, 12)).toBe('/gallery/photos/3?album=12');
    expect(paths.search({ q: 'a&b' })).toBe('/gallery/search?q=a%26b');
    expect(paths.absolute(paths.home())).toBe('https://photos.example.com/gallery/');
    expect(new SitePaths('http://localhost:8080').home()).toBe('/');
    expect(queryString({})).toBe('');
  });
});
