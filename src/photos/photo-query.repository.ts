import type { EntityManager } from 'typeorm';
import type { AccessScope } from '../access/access-scope.js';
import { ParamBag } from '../database/param-bag.js';

/**
 * Sort orders of photo lists. Only these keys reach SQL, as fixed fragments: a user-supplied
 * string is never interpolated. Each key is non-null (photos without a date sort by upload date,
 * untitled ones by file name) so keyset pagination over (key, id) is exact.
 */
export const PHOTO_SORTS = {
  takenAt: { expr: 'COALESCE(p.taken_at, p.created_at)', type: 'timestamptz', desc: false },
  '-takenAt': { expr: 'COALESCE(p.taken_at, p.created_at)', type: 'timestamptz', desc: true },
  createdAt: { expr: 'p.created_at', type: 'timestamptz', desc: false },
  '-createdAt': { expr: 'p.created_at', type: 'timestamptz', desc: true },
  title: { expr: `lower(COALESCE(NULLIF(p.title, ''), p.original_name))`, type: 'text', desc: false },
  '-title': { expr: `lower(COALESCE(NULLIF(p.title, ''), p.original_name))`, type: 'text', desc: true },
  id: { expr: 'p.id', type: 'int', desc: false },
  '-id': { expr: 'p.id', type: 'int', desc: true },
} as const;
export type PhotoSort = keyof typeof PHOTO_SORTS;
export const PHOTO_SORT_KEYS = Object.keys(PHOTO_SORTS) as [PhotoSort, ...PhotoSort[]];

/** Filters of a photo list; every value becomes a parameter. */
export interface PhotoFilter {
  albumId?: number;
  /** With albumId: include photos of visible sub-albums. */
  recursive?: boolean;
  tagSlug?: string;
  takenFrom?: Date;
  takenTo?: Date;
  /** Matches camera make or model (case-insensitive substring). */
  camera?: string;
  /** Matches title, description or original file name (case-insensitive substring). */
  text?: string;
  /** Exact privacy level (callers allow it to administrators only). */
  privacyLevel?: number;
  /** Plugin metadata fields `text` also matches (those declared `searchable`). */
  searchableFields?: readonly SearchableField[];
}

/** Position after the last row of a page: the sort key as Postgres prints it, and the id. */
export interface PhotoCursor {
  key: string;
  id: number;
}

/** A photo row of a list or detail (snake_case, as selected). */
export interface PhotoRow {
  id: number;
  title: string | null;
  description: string | null;
  original_name: string;
  mime_type: string | null;
  file_size: string | number | null;
  width: number | null;
  height: number | null;
  taken_at: Date | null;
  author: string | null;
  privacy_level: number;
  camera_make: string | null;
  camera_model: string | null;
  lens: string | null;
  iso: number | null;
  exposure_time: number | null;
  f_number: number | null;
  focal_length: number | null;
  latitude: number | null;
  longitude: number | null;
  metadata: Record<string, unknown>;
  /** Plugin metadata fields, namespaced by plugin. */
  plugin_data?: Record<string, Record<string, unknown>>;
  blur_placeholder: string | null;
  added_by: number | null;
  created_at: Date;
  updated_at: Date;
  /** The sort key as text (list queries only), for the next cursor. */
  sort_key?: string;
}

/** Escapes `\`, `%` and `_` so user text matches literally in an ILIKE pattern with ESCAPE '\'. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const COLUMNS = `p.id, p.title, p.description, p.original_name, p.mime_type, p.file_size, p.width, p.height, p.taken_at,
  p.author, p.privacy_level, p.camera_make, p.camera_model, p.lens, p.iso, p.exposure_time, p.f_number, p.focal_length,
  p.latitude, p.longitude, p.metadata, p.plugin_data, p.blur_placeholder, p.added_by, p.created_at, p.updated_at`;

/** What a list item shows (see photoSummaryView): no metadata JSON, no exposure columns. */
const LIST_COLUMNS = `p.id, p.title, p.original_name, p.width, p.height, p.taken_at, p.privacy_level, p.blur_placeholder, p.created_at`;

/**
 * A photo row of a list page. Selecting only these roughly halves a 100-photo page on PGlite,
 * where every value crosses the WebAssembly boundary and is parsed in JavaScript.
 */
export type PhotoListRow = Pick<PhotoRow, 'id' | 'title' | 'original_name' | 'width' | 'height' | 'taken_at' | 'privacy_level' | 'blur_placeholder' | 'created_at' | 'sort_key'>;

/**
 * Photo read queries, always composed with an {@link AccessScope}: lists with filters, allowlisted
 * sorts and keyset (cursor) pagination, the detail row, a photo's tags and its visible albums.
 */
export class PhotoQueryRepository {
  constructor(private readonly em: EntityManager) {}

  /** One page: up to `limit` rows after `cursor`, plus one more to tell whether a next page exists. */
  list(scope: AccessScope, filter: PhotoFilter, sort: PhotoSort, limit: number, cursor?: PhotoCursor): Promise<PhotoListRow[]> {
    const p = new ParamBag();
    // One album, not recursive: the in-album form of the visibility condition (the album's own
    // visibility is checked in memory, the album filter below supplies the link) is much cheaper.
    const visible = filter.albumId !== undefined && !filter.recursive ? scope.photoWhereInAlbum('p', filter.albumId, p) : scope.photoWhere('p', p);
    const where = [visible, ...this.filters(scope, filter, p)];
    const s = PHOTO_SORTS[sort];
    if (cursor) {
      where.push(`(${s.expr}, p.id) ${s.desc ? '<' : '>'} (${p.add(cursor.key)}::${s.type}, ${p.add(cursor.id)}::int)`);
    }
    const dir = s.desc ? 'DESC' : 'ASC';
    return this.em.query(
      `SELECT ${LIST_COLUMNS}, (${s.expr})::text AS sort_key FROM photos p
       WHERE ${where.join(' AND ')} ORDER BY ${s.expr} ${dir}, p.id ${dir} LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
  }

  async byId(scope: AccessScope, id: number): Promise<PhotoRow | null> {
    const p = new ParamBag();
    const rows: PhotoRow[] = await this.em.query(`SELECT ${COLUMNS} FROM photos p WHERE p.id = ${p.add(id)} AND ${scope.photoWhere('p', p)}`, p.values);
    return rows[0] ?? null;
  }

  /** Tags of the photos, by photo id. */
  async tagsOf(photoIds: number[]): Promise<Map<number, { id: number; name: string; slug: string }[]>> {
    const rows: { photo_id: number; id: number; name: string; slug: string }[] = photoIds.length
      ? await this.em.query(
          `SELECT pt.photo_id, t.id, t.name, t.slug FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id
           WHERE pt.photo_id = ANY($1::int[]) ORDER BY t.name, t.id`,
          [photoIds],
        )
      : [];
    const out = new Map<number, { id: number; name: string; slug: string }[]>();
    for (const r of rows) out.set(r.photo_id, [...(out.get(r.photo_id) ?? []), { id: r.id, name: r.name, slug: r.slug }]);
    return out;
  }

  /** The visible albums a photo is linked to. */
  albumsOf(scope: AccessScope, photoId: number): Promise<{ id: number; name: string; slug: string }[]> {
    const p = new ParamBag();
    return this.em.query(
      `SELECT a.id, a.name, a.slug FROM album_photos ap JOIN albums a ON a.id = ap.album_id
       WHERE ap.photo_id = ${p.add(photoId)} AND ${scope.albumWhere('a', p)} ORDER BY a.depth, a.position, a.id`,
      p.values,
    );
  }

  /** Writes the given photo columns (already validated). */
  async update(id: number, fields: { title?: string | null; description?: string | null; privacy_level?: number }): Promise<void> {
    const p = new ParamBag();
    const sets = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([column, value]) => `${ASSIGNABLE[column as keyof typeof ASSIGNABLE]} = ${p.add(value)}`);
    if (!sets.length) return;
    await this.em.query(`UPDATE photos SET ${sets.join(', ')}, updated_at = now() WHERE id = ${p.add(id)}`, p.values);
  }

  private filters(scope: AccessScope, f: PhotoFilter, p: ParamBag): string[] {
    const out: string[] = [];
    if (f.albumId !== undefined) {
      const album = p.add(f.albumId);
      out.push(
        f.recursive
          ? `EXISTS (SELECT 1 FROM album_photos fap JOIN album_closure fc ON fc.descendant_id = fap.album_id JOIN albums fa ON fa.id = fc.descendant_id
               WHERE fap.photo_id = p.id AND fc.ancestor_id = ${album} AND ${scope.albumWhere('fa', p)})`
          : `EXISTS (SELECT 1 FROM album_photos fap WHERE fap.photo_id = p.id AND fap.album_id = ${album})`,
      );
    }
    if (f.tagSlug !== undefined) {
      out.push(`EXISTS (SELECT 1 FROM photo_tags fpt JOIN tags ft ON ft.id = fpt.tag_id WHERE fpt.photo_id = p.id AND ft.slug = ${p.add(f.tagSlug)})`);
    }
    if (f.takenFrom) out.push(`p.taken_at >= ${p.add(f.takenFrom)}`);
    if (f.takenTo) out.push(`p.taken_at <= ${p.add(f.takenTo)}`);
    if (f.camera !== undefined) {
      const c = p.add(likePattern(f.camera));
      out.push(`(p.camera_make ILIKE ${c} ESCAPE '\\' OR p.camera_model ILIKE ${c} ESCAPE '\\' OR (p.camera_make || ' ' || p.camera_model) ILIKE ${c} ESCAPE '\\')`);
    }
    if (f.text !== undefined) {
      const t = p.add(likePattern(f.text));
      const fields = (f.searchableFields ?? []).map((sf) => ` OR ${pluginFieldSql('p', sf, p)} ILIKE ${t} ESCAPE '\\'`).join('');
      out.push(`(p.title ILIKE ${t} ESCAPE '\\' OR p.description ILIKE ${t} ESCAPE '\\' OR p.original_name ILIKE ${t} ESCAPE '\\'${fields})`);
    }
    if (f.privacyLevel !== undefined) out.push(`p.privacy_level = ${p.add(f.privacyLevel)}`);
    return out;
  }
}

/** A searchable plugin metadata field: where its value lives in `photos.plugin_data`. */
export interface SearchableField {
  plugin: string;
  key: string;
}

/** SQL text of one plugin metadata field of a photos alias (names are parameters, never spliced). */
export function pluginFieldSql(alias: string, field: SearchableField, p: ParamBag): string {
  return `(${alias}.plugin_data -> ${p.add(field.plugin)}::text ->> ${p.add(field.key)}::text)`;
}

/** Columns {@link PhotoQueryRepository.update} may write (fixed names, never from input). */
const ASSIGNABLE = { title: 'title', description: 'description', privacy_level: 'privacy_level' } as const;
