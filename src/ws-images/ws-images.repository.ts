import type { EntityManager } from 'typeorm';
import { ParamBag } from '../database/param-bag.js';
import { returnedRows } from '../database/sql-result.js';

/** A photo row with the columns ws.php answers with (snake_case, as stored). */
export interface WsPhotoRow {
  id: number;
  title: string | null;
  description: string | null;
  original_name: string;
  md5: string | null;
  file_size: string | number | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
  taken_at: Date | null;
  taken_at_offset: string | null;
  author: string | null;
  privacy_level: number;
  latitude: number | null;
  longitude: number | null;
  status: string;
  added_by: number | null;
  storage_key: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Editable columns of a photo, as `pwg.images.setInfo` and `addSimple` write them. */
export interface WsPhotoInfo {
  title?: string | null;
  author?: string | null;
  description?: string | null;
  privacy_level?: number;
  taken_at?: Date | null;
  original_name?: string;
}

/** One `lounge` row as Piwigo reports it. */
export interface LoungeRow {
  image_id: number;
  category_id: number;
}

const COLUMNS = `id, title, description, original_name, md5, file_size, width, height, orientation, taken_at, taken_at_offset, author,
  privacy_level, latitude, longitude, status, added_by, storage_key, created_at, updated_at`;

/** SQL of the ws.php image methods (lookups by md5/name, info updates, tag links, the lounge). */
export class WsImagesRepository {
  constructor(private readonly em: EntityManager) {}

  async find(id: number): Promise<WsPhotoRow | undefined> {
    const rows: WsPhotoRow[] = await this.em.query(`SELECT ${COLUMNS} FROM photos WHERE id = $1`, [id]);
    return rows[0];
  }

  async existingIds(ids: number[]): Promise<number[]> {
    const rows: { id: number }[] = await this.em.query(`SELECT id FROM photos WHERE id = ANY($1::int[]) ORDER BY id`, [ids]);
    return rows.map((r) => r.id);
  }

  /** First photo (lowest id) per md5, like Piwigo's `SELECT id, md5sum FROM images WHERE md5sum IN (…)`. */
  async idsByMd5(sums: string[]): Promise<Map<string, number>> {
    const rows: { md5: string; id: number }[] = await this.em.query(
      `SELECT md5, min(id)::int AS id FROM photos WHERE md5 = ANY($1::text[]) GROUP BY md5`,
      [sums],
    );
    return new Map(rows.map((r) => [r.md5, r.id]));
  }

  async idsByFilename(names: string[]): Promise<Map<string, number>> {
    const rows: { original_name: string; id: number }[] = await this.em.query(
      `SELECT original_name, min(id)::int AS id FROM photos WHERE original_name = ANY($1::text[]) GROUP BY original_name`,
      [names],
    );
    return new Map(rows.map((r) => [r.original_name, r.id]));
  }

  async updateInfo(id: number, info: WsPhotoInfo): Promise<void> {
    const p = new ParamBag();
    const sets = Object.entries(info)
      .filter(([, value]) => value !== undefined)
      .map(([column, value]) => `${column} = ${p.add(value)}`);
    if (!sets.length) return;
    await this.em.query(`UPDATE photos SET ${sets.join(', ')}, updated_at = now() WHERE id = ${p.add(id)}`, p.values);
  }

  /** Links existing tags by id (unknown ids ignored); `replace` first removes the others. */
  async setTagIds(photoId: number, tagIds: number[], replace: boolean): Promise<void> {
    if (replace) await this.em.query(`DELETE FROM photo_tags WHERE photo_id = $1 AND NOT (tag_id = ANY($2::int[]))`, [photoId, tagIds]);
    if (tagIds.length) {
      await this.em.query(`INSERT INTO photo_tags (photo_id, tag_id) SELECT $1, id FROM tags WHERE id = ANY($2::int[]) ON CONFLICT DO NOTHING`, [photoId, tagIds]);
    }
  }

  async albumIdsOf(photoId: number): Promise<number[]> {
    const rows: { album_id: number }[] = await this.em.query(`SELECT album_id FROM album_photos WHERE photo_id = $1 ORDER BY album_id`, [photoId]);
    return rows.map((r) => r.album_id);
  }

  async existingAlbumIds(ids: number[]): Promise<number[]> {
    const rows: { id: number }[] = await this.em.query(`SELECT id FROM albums WHERE id = ANY($1::int[])`, [ids]);
    return rows.map((r) => r.id);
  }

  async tagsOf(photoId: number): Promise<Array<{ id: number; name: string; slug: string; created_at: Date }>> {
    return this.em.query(
      `SELECT t.id, t.name, t.slug, t.created_at FROM tags t JOIN photo_tags pt ON pt.tag_id = t.id WHERE pt.photo_id = $1 ORDER BY t.name, t.id`,
      [photoId],
    );
  }

  /** The lounge rows (photo, album) of these photos, or of all lounge photos. */
  async loungeRows(photoIds?: number[]): Promise<LoungeRow[]> {
    const filter = photoIds ? `AND p.id = ANY($1::int[])` : '';
    return this.em.query(
      `SELECT ap.photo_id AS image_id, ap.album_id AS category_id FROM photos p JOIN album_photos ap ON ap.photo_id = p.id
        WHERE p.status = 'lounge' ${filter} ORDER BY ap.photo_id, ap.album_id`,
      photoIds ? [photoIds] : [],
    );
  }

  /** Moves photos out of the lounge (all of them, or those older than `before`); returns their ids. */
  async leaveLounge(before?: Date): Promise<number[]> {
    const rows = returnedRows<{ id: number }>(
      before
        ? await this.em.query(`UPDATE photos SET status = 'ready' WHERE status = 'lounge' AND created_at <= $1 RETURNING id`, [before])
        : await this.em.query(`UPDATE photos SET status = 'ready' WHERE status = 'lounge' RETURNING id`),
    );
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  async oldestLoungeDate(): Promise<Date | null> {
    const rows: { d: Date | null }[] = await this.em.query(`SELECT min(created_at) AS d FROM photos WHERE status = 'lounge'`);
    return rows[0]?.d ?? null;
  }

  /** Photos linked to the album, lounge included (Piwigo's `nb_photos` after an upload). */
  async albumPhotoCount(albumId: number): Promise<number> {
    const rows: { n: number }[] = await this.em.query(`SELECT count(*)::int AS n FROM album_photos WHERE album_id = $1`, [albumId]);
    return rows[0]?.n ?? 0;
  }
}
