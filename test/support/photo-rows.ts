import type { DataSource } from 'typeorm';

/** Inserts bare photo rows (no files) for tests that exercise the album tree only. */
export async function insertPhotoRows(dataSource: DataSource, count: number): Promise<number[]> {
  const rows: { id: number }[] = await dataSource.query(
    `INSERT INTO photos (original_name) SELECT 'p' || g || '.jpg' FROM generate_series(1, $1) g RETURNING id`,
    [count],
  );
  return rows.map((r) => r.id);
}
