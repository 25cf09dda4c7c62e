import { tagUrlName, WS_TAG_XML_ATTRIBUTES, type WsImageShaper } from '../piwigo-api/ws-image.shaper.js';
import { PwgNamedArray, PwgNamedStruct, WS_XML_ATTRIBUTES, type WsValue } from '../piwigo/ws-values.js';
import type { WsPhotoRow } from './ws-images.repository.js';

/** Piwigo's MySQL datetime text (`2026-11-22 15:19:21`), in UTC. */
export function piwigoDateTime(date: Date | string | null | undefined): string | null {
  if (date === null || date === undefined) return null;
  const d = new Date(date);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** A photo's capture time as the camera wrote it (local time when the offset is known). */
export function piwigoTakenAt(takenAt: Date | string | null, offset: string | null): string | null {
  if (takenAt === null) return null;
  const match = offset ? /^([+-])(\d{2}):(\d{2})$/.exec(offset) : null;
  const shift = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000 : 0;
  return piwigoDateTime(new Date(new Date(takenAt).getTime() + shift));
}

/** Parses Piwigo's `date_creation` (`YYYY-MM-DD[ HH:MM[:SS]]`, read as UTC); null when empty, undefined when invalid. */
export function parsePiwigoDate(text: string): Date | null | undefined {
  const value = text.trim();
  if (value === '' || value.startsWith('0000-00-00')) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)));
  return Number.isNaN(date.getTime()) || date.getUTCDate() !== +m[3]! ? undefined : date;
}

/** The album of a photo as pwg.images.getInfo lists it. */
export interface WsInfoAlbum {
  id: number;
  name: string;
  slug: string;
  uppercats: string;
  globalRank: string;
}

/** The tags of a photo as pwg.images.getInfo lists them. */
export interface WsInfoTag {
  id: number;
  name: string;
  slug: string;
  created_at: Date;
}

/**
 * `pwg.images.getInfo`'s result, key for key in Piwigo's order (golden 30): the `images` row
 * (ints `id, hit, filesize, width, height`, other DB columns as strings), URLs, derivatives, rates,
 * albums, tags, comment paging. `rest` wraps it in `<image>` as Piwigo does.
 */
export function imageInfoView(
  row: WsPhotoRow,
  albums: readonly WsInfoAlbum[],
  tags: readonly WsInfoTag[],
  context: { shaper: WsImageShaper; canDownload: boolean; format: string; commentsPerPage: number; commentsPage: number },
): WsValue {
  const { urls } = context.shaper;
  const info: Record<string, WsValue> = {
    id: row.id,
    file: row.original_name,
    date_available: piwigoDateTime(row.created_at),
    date_creation: piwigoTakenAt(row.taken_at, row.taken_at_offset),
    name: row.title,
    comment: row.description,
    author: row.author,
    hit: 0,
    filesize: row.file_size === null ? null : Math.round(Number(row.file_size) / 1024),
    width: row.width,
    height: row.height,
    coi: null,
    representative_ext: null,
    date_metadata_update: piwigoDateTime(row.created_at)?.slice(0, 10) ?? null,
    rating_score: null,
    level: String(row.privacy_level),
    md5sum: row.md5,
    added_by: row.added_by === null ? null : String(row.added_by),
    rotation: String(rotationOf(row.orientation)),
    latitude: row.latitude === null ? null : Number(row.latitude).toFixed(6),
    longitude: row.longitude === null ? null : Number(row.longitude).toFixed(6),
    lastmodified: piwigoDateTime(row.updated_at),
    page_url: urls.photo(row.id),
    element_url: urls.media(row.id, 'original'),
    download_url: context.canDownload ? `${urls.media(row.id, 'original')}?download=1` : null,
    derivatives: context.shaper.derivatives(row),
    name_raw: row.title,
    comment_raw: row.description,
    rates: { [WS_XML_ATTRIBUTES]: { score: null, count: 0, average: null } },
  };
  const categories = albums.map((a) => ({
    id: a.id,
    name: a.name,
    permalink: null,
    uppercats: a.uppercats,
    global_rank: a.globalRank,
    url: urls.album(a.id, a.slug),
    page_url: urls.photo(row.id, a.id),
  }));
  const tagList = tags.map((t) => ({
    id: t.id,
    name: t.name,
    url_name: tagUrlName(t.slug),
    lastmodified: piwigoDateTime(t.created_at),
    url: urls.tag(t.slug),
    page_url: urls.photo(row.id),
  }));
  const paging = { page: context.commentsPage, per_page: String(context.commentsPerPage), count: 0, total_count: 0 };
  if (context.format !== 'rest') return { ...info, categories, tags: tagList, comments_paging: paging, comments: [] };
  return {
    image: new PwgNamedStruct(
      {
        ...info,
        categories: new PwgNamedArray(categories, 'category', ['id', 'url', 'page_url']),
        tags: new PwgNamedArray(tagList, 'tag', WS_TAG_XML_ATTRIBUTES),
        comments_paging: paging,
        comments: new PwgNamedArray([], 'comment', ['id', 'date']),
      },
      null,
      ['name', 'comment'],
    ),
  };
}

/** Piwigo's `rotation` code from the EXIF orientation (0, 1 = 90° left, 2 = 180°, 3 = 90° right). */
function rotationOf(orientation: number | null): number {
  switch (orientation) {
    case 3:
    case 4:
      return 2;
    case 5:
    case 6:
      return 3;
    case 7:
    case 8:
      return 1;
    default:
      return 0;
  }
}
