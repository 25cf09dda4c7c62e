import type { EntityManager } from 'typeorm';

export interface AdminPhotoFilter {
  albumId: number | null;
  /** Photos in no album at all. */
  unsorted: boolean;
  q: string | null;
  privacyLevel: number | null;
  page: number;
}

export interface AdminPhotoCard {
  id: number;
  label: string;
  privacyLevel: number;
  fileSize: number | null;
  width: number | null;
  height: number | null;
  createdAt: Date;
  /** Flagged by `vitrine doctor --repair`: the original file is gone; hidden from visitors. */
  missing: boolean;
}

export interface AdminPhotoDetail extends AdminPhotoCard {
  title: string | null;
  description: string | null;
  originalName: string;
  takenAt: Date | null;
  mimeType: string | null;
  tags: string[];
  albums: { id: number; name: string }[];
}

export const PHOTOS_PER_PAGE = 48;

/** The admin's photo reads: every photo (administrators and editors see all), filtered and paged. */
export class AdminPhotoRepository {
  constructor(private readonly em: EntityManager) {}

  async list(filter: AdminPhotoFilter): Promise<{ items: AdminPhotoCard[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (filter.albumId !== null) add('EXISTS (SELECT 1 FROM album_photos ap WHERE ap.photo_id = p.id AND ap.album_id = ?)', filter.albumId);
    if (filter.unsorted) where.push('NOT EXISTS (SELECT 1 FROM album_photos ap WHERE ap.photo_id = p.id)');
    if (filter.q) add(`(p.title ILIKE ? ESCAPE '\\' OR p.original_name ILIKE ? ESCAPE '\\' OR p.description ILIKE ? ESCAPE '\\')`, `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (filter.privacyLevel !== null) add('p.privacy_level = ?', filter.privacyLevel);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total: { n: string }[] = await this.em.query(`SELECT count(*) AS n FROM photos p ${clause}`, params);
    const rows: CardRow[] = await this.em.query(
      `SELECT p.id, coalesce(p.title, p.original_name) AS label, p.privacy_level, p.file_size, p.width, p.height, p.created_at, p.missing_since IS NOT NULL AS missing
       FROM photos p ${clause} ORDER BY p.created_at DESC, p.id DESC LIMIT ${PHOTOS_PER_PAGE} OFFSET ${(filter.page - 1) * PHOTOS_PER_PAGE}`,
      params,
    );
    return { items: rows.map(card), total: Number(total[0]?.n ?? 0) };
  }

  async detail(id: number): Promise<AdminPhotoDetail | null> {
    const rows: Record<string, unknown>[] = await this.em.query(
      `SELECT p.id, coalesce(p.title, p.original_name) AS label, p.title, p.description, p.original_name, p.privacy_level, p.file_size,
              p.width, p.height, p.created_at, p.taken_at, p.mime_type, p.missing_since IS NOT NULL AS missing
       FROM photos p WHERE p.id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    const tags: { name: string }[] = await this.em.query(`SELECT t.name FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.photo_id = $1 ORDER BY t.name`, [id]);
    const albums: { id: number; name: string }[] = await this.em.query(
      `SELECT a.id, a.name FROM album_photos ap JOIN albums a ON a.id = ap.album_id WHERE ap.photo_id = $1 ORDER BY a.name, a.id`,
      [id],
    );
    return {
      ...card(r as never),
      title: (r.title as string | null) ?? null,
      description: (r.description as string | null) ?? null,
      originalName: r.original_name as string,
      takenAt: (r.taken_at as Date | null) ?? null,
      mimeType: (r.mime_type as string | null) ?? null,
      tags: tags.map((t) => t.name),
      albums,
    };
  }

  /** Ids among `ids` that exist. */
  async existing(ids: number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows: { id: number }[] = await this.em.query(`SELECT id FROM photos WHERE id = ANY($1::int[]) ORDER BY id`, [ids]);
    return rows.map((r) => r.id);
  }
}

type CardRow = { id: number; label: string; privacy_level: number; file_size: string | null; width: number | null; height: number | null; created_at: Date; missing: boolean };

function card(r: CardRow): AdminPhotoCard {
  return {
    id: r.id,
    label: r.label,
    privacyLevel: Number(r.privacy_level),
    fileSize: r.file_size === null ? null : Number(r.file_size),
    width: r.width,
    height: r.height,
    createdAt: r.created_at,
    missing: r.missing === true,
  };
}
