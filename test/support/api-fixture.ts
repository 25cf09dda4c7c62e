import type { DataSource } from 'typeorm';

export interface PhotoSeed {
  title?: string | null;
  description?: string | null;
  originalName?: string;
  privacyLevel?: 0 | 1 | 2 | 4 | 8;
  takenAt?: string | null;
  cameraMake?: string | null;
  cameraModel?: string | null;
}

/** Inserts one bare photo row (no file) with the given fields; returns its id. */
export async function insertPhoto(ds: DataSource, seed: PhotoSeed = {}): Promise<number> {
  const rows: { id: number }[] = await ds.query(
    `INSERT INTO photos (title, description, original_name, privacy_level, taken_at, camera_make, camera_model)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [seed.title ?? null, seed.description ?? null, seed.originalName ?? 'photo.jpg', seed.privacyLevel ?? 0, seed.takenAt ?? null, seed.cameraMake ?? null, seed.cameraModel ?? null],
  );
  return rows[0]!.id;
}

/** Tags a photo (tags created by slug = lower-case name). */
export async function tagPhoto(ds: DataSource, photoId: number, ...names: string[]): Promise<void> {
  for (const name of names) {
    await ds.query(`INSERT INTO tags (name, slug) VALUES ($1, lower($1)) ON CONFLICT (slug) DO NOTHING`, [name]);
    await ds.query(`INSERT INTO photo_tags (photo_id, tag_id) SELECT $1, id FROM tags WHERE slug = lower($2) ON CONFLICT DO NOTHING`, [photoId, name]);
  }
}
