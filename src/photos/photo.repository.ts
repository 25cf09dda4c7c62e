import type { EntityManager } from 'typeorm';
import { slugify } from '../common/slug.js';
import { ParamBag } from '../database/param-bag.js';
import { returnedRows } from '../database/sql-result.js';
import type { ExtractedMetadata } from '../metadata/metadata.model.js';
import type { PhotoStatus } from './photo.entity.js';

/** The columns the HTTP API returns for an ingested photo. */
export interface PhotoSummary {
  id: number;
  title: string | null;
  width: number | null;
  height: number | null;
  sha256: string;
  status: PhotoStatus;
}

/** What the ingest service writes for a new photo. */
export interface NewPhotoRow {
  title: string | null;
  description: string | null;
  originalName: string;
  storageKey: string;
  sha256: string;
  md5: string;
  mimeType: string;
  fileSize: number;
  width: number;
  height: number;
  orientation: number;
  status: PhotoStatus;
  addedBy: number | null;
  metadata: ExtractedMetadata;
  /** The blur placeholder when it is known at insert (ingest computes it from the probe's decode). */
  blurPlaceholder?: string | null;
}

/** A photo's file facts, for serving and deleting. */
export interface PhotoFileRow {
  id: number;
  storage_key: string | null;
  sha256: string | null;
  mime_type: string | null;
  original_name: string;
}

const SUMMARY = `id, title, width, height, sha256, status`;

/** SQL of the `photos`, `tags` and `photo_tags` tables used by ingest, serving and deletion. */
export class PhotoRepository {
  constructor(private readonly em: EntityManager) {}

  async findBySha256(sha256: string): Promise<PhotoSummary | undefined> {
    const rows: PhotoSummary[] = await this.em.query(`SELECT ${SUMMARY} FROM photos WHERE sha256 = $1`, [sha256]);
    return rows[0];
  }

  async summaries(ids: number[]): Promise<PhotoSummary[]> {
    return this.em.query(`SELECT ${SUMMARY} FROM photos WHERE id = ANY($1::int[]) ORDER BY id`, [ids]);
  }

  async fileRow(id: number): Promise<PhotoFileRow | undefined> {
    const rows: PhotoFileRow[] = await this.em.query(`SELECT id, storage_key, sha256, mime_type, original_name FROM photos WHERE id = $1`, [id]);
    return rows[0];
  }

  async existingAlbumIds(ids: number[]): Promise<number[]> {
    const rows: { id: number }[] = await this.em.query(`SELECT id FROM albums WHERE id = ANY($1::int[])`, [ids]);
    return rows.map((r) => r.id);
  }

  /** Inserts the photo row; returns its summary (the id and what ingest answers with). */
  async insert(row: NewPhotoRow): Promise<PhotoSummary> {
    const m = row.metadata;
    const p = new ParamBag();
    const columns: Array<[string, unknown]> = [
      ['title', row.title],
      ['description', row.description],
      ...fileColumns(row),
      ['author', m.author],
      ['copyright', m.copyright],
      ['rating', m.rating],
      ['status', row.status],
      ['added_by', row.addedBy],
      ['blur_placeholder', row.blurPlaceholder ?? null],
    ];
    const names = columns.map(([c]) => c).concat('metadata');
    const values = columns.map(([, v]) => p.add(v)).concat(`${p.add(JSON.stringify(m.raw))}::jsonb`);
    const rows: PhotoSummary[] = await this.em.query(`INSERT INTO photos (${names.join(', ')}) VALUES (${values.join(', ')}) RETURNING ${SUMMARY}`, p.values);
    return rows[0]!;
  }

  /**
   * New file facts for a photo (its file was replaced): the columns read from the file change,
   * those the owner edits (title, description, privacy, author, rating) stay.
   */
  async replaceFile(id: number, row: Omit<NewPhotoRow, 'title' | 'description' | 'status' | 'addedBy'>): Promise<void> {
    const p = new ParamBag();
    const sets = fileColumns(row)
      .map(([c, v]) => `${c} = ${p.add(v)}`)
      .concat(`metadata = ${p.add(JSON.stringify(row.metadata.raw))}::jsonb`, 'blur_placeholder = NULL', 'updated_at = now()');
    await this.em.query(`UPDATE photos SET ${sets.join(', ')} WHERE id = ${p.add(id)}`, p.values);
  }

  /** Creates missing tags (by slug) and links them to the photo. */
  async addTags(photoId: number, names: string[]): Promise<void> {
    const bySlug = new Map<string, string>();
    for (const name of names) {
      const slug = slugify(name, '', 120) || name.toLocaleLowerCase('und').slice(0, 120);
      if (slug && !bySlug.has(slug)) bySlug.set(slug, name);
    }
    if (bySlug.size === 0) return;
    const slugs = [...bySlug.keys()];
    await this.em.query(
      `INSERT INTO tags (name, slug) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (slug) DO NOTHING`,
      [slugs.map((s) => bySlug.get(s)!), slugs],
    );
    await this.em.query(
      `INSERT INTO photo_tags (photo_id, tag_id) SELECT $1, id FROM tags WHERE slug = ANY($2::text[]) ON CONFLICT DO NOTHING`,
      [photoId, slugs],
    );
  }

  /** Albums a photo is linked to. */
  async albumIdsOf(photoIds: number[]): Promise<Array<{ photo_id: number; album_id: number }>> {
    return this.em.query(`SELECT photo_id, album_id FROM album_photos WHERE photo_id = ANY($1::int[]) ORDER BY album_id`, [photoIds]);
  }

  /** Deletes photo rows (links and tags cascade); returns what was deleted. */
  async delete(ids: number[]): Promise<PhotoFileRow[]> {
    return returnedRows<PhotoFileRow>(
      await this.em.query(`DELETE FROM photos WHERE id = ANY($1::int[]) RETURNING id, storage_key, sha256, mime_type, original_name`, [ids]),
    );
  }

  async countByStorageKey(key: string): Promise<number> {
    const rows: { n: number }[] = await this.em.query(`SELECT count(*)::int AS n FROM photos WHERE storage_key = $1`, [key]);
    return rows[0]?.n ?? 0;
  }

  /** Which of these original keys some photo row references. */
  async referencedKeys(keys: string[]): Promise<string[]> {
    const rows: { storage_key: string }[] = await this.em.query(`SELECT DISTINCT storage_key FROM photos WHERE storage_key = ANY($1::text[])`, [keys]);
    return rows.map((r) => r.storage_key);
  }

  /**
   * Stores what the eager derivative job computed and returns the photo's summary as stored
   * (ingest answers with it, no extra SELECT); undefined when the photo no longer exists.
   */
  async saveDerivativeFacts(id: number, facts: { width: number; height: number; blurPlaceholder: string | null }): Promise<PhotoSummary | undefined> {
    const rows = returnedRows<PhotoSummary>(
      await this.em.query(`UPDATE photos SET width = $2, height = $3, blur_placeholder = $4, updated_at = now() WHERE id = $1 RETURNING ${SUMMARY}`, [
        id,
        facts.width,
        facts.height,
        facts.blurPlaceholder,
      ]),
    );
    return rows[0];
  }
}

/** The photo columns that come from its file (what a replaced file changes), as [column, value]. */
function fileColumns(row: Omit<NewPhotoRow, 'title' | 'description' | 'status' | 'addedBy'>): Array<[string, unknown]> {
  const m = row.metadata;
  return [
    ['original_name', row.originalName],
    ['storage_key', row.storageKey],
    ['sha256', row.sha256],
    ['md5', row.md5],
    ['mime_type', row.mimeType],
    ['file_size', row.fileSize],
    ['width', row.width],
    ['height', row.height],
    ['orientation', row.orientation],
    ['taken_at', m.takenAt],
    ['taken_at_offset', m.takenAtOffset],
    ['latitude', m.latitude],
    ['longitude', m.longitude],
    ['camera_make', m.cameraMake],
    ['camera_model', m.cameraModel],
    ['lens', m.lens],
    ['iso', m.iso],
    ['exposure_time', m.exposureTime],
    ['f_number', m.fNumber],
    ['focal_length', m.focalLength],
  ];
}
