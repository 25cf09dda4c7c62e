import type { SortOptionView } from '../themes/theme-view.types.js';

/** One allowlisted sort: its `?sort=` value, label and ORDER BY (on `p` = photos, `ap` = album_photos). */
interface PhotoSort {
  label: string;
  orderBy: string;
  /** Needs the album_photos alias (album order). */
  inAlbumOnly?: boolean;
}

/**
 * The only ORDER BY clauses the site ever runs: `?sort=` selects a key of this table and any
 * other value falls back to the default. Nothing from the request reaches SQL text.
 */
export const PHOTO_SORTS: Readonly<Record<string, PhotoSort>> = {
  manual: { label: 'Album order', orderBy: 'ap.rank, p.id', inAlbumOnly: true },
  'taken-desc': { label: 'Newest first', orderBy: 'p.taken_at DESC NULLS LAST, p.id DESC' },
  'taken-asc': { label: 'Oldest first', orderBy: 'p.taken_at ASC NULLS LAST, p.id' },
  'added-desc': { label: 'Recently added', orderBy: 'p.created_at DESC, p.id DESC' },
  title: { label: 'Title', orderBy: "lower(COALESCE(p.title, '')), p.id" },
};

/** The chosen sort key (`requested` when allowlisted for the list, else the default). */
export function chooseSort(requested: unknown, inAlbum: boolean): string {
  const fallback = inAlbum ? 'manual' : 'taken-desc';
  if (typeof requested !== 'string' || !Object.hasOwn(PHOTO_SORTS, requested)) return fallback;
  return PHOTO_SORTS[requested]!.inAlbumOnly && !inAlbum ? fallback : requested;
}

export function orderByOf(key: string): string {
  return PHOTO_SORTS[key]!.orderBy;
}

/** Sort choices for a list; `urlFor(key)` is the list's URL sorted that way (default: no parameter). */
export function sortOptions(current: string, inAlbum: boolean, urlFor: (sort: string | undefined) => string): SortOptionView[] {
  const fallback = inAlbum ? 'manual' : 'taken-desc';
  return Object.entries(PHOTO_SORTS)
    .filter(([, s]) => inAlbum || !s.inAlbumOnly)
    .map(([value, s]) => ({ value, label: s.label, url: urlFor(value === fallback ? undefined : value), selected: value === current }));
}

/**
 * A `?page=` value: 1 when absent, the number when it is a positive integer, null when it is
 * malformed (the caller answers 404).
 */
export function parsePage(raw: unknown): number | null {
  if (raw === undefined || raw === '') return 1;
  if (typeof raw !== 'string' || !/^[1-9]\d{0,5}$/.test(raw)) return null;
  return Number(raw);
}
