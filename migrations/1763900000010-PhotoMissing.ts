import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `photos.missing_since`: set by `vitrine doctor --repair` when a photo's original file is gone
 * (instead of deleting the row: the disk may only be unmounted), cleared by the next repair once
 * the file is back. `AccessScope` hides flagged photos from everyone but administrators. The
 * partial index keeps "every flagged photo" cheap; it stays empty in a healthy library.
 */
export class PhotoMissing1763900000010 implements MigrationInterface {
  name = 'PhotoMissing1763900000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE photos ADD COLUMN missing_since timestamptz`);
    await q.query(`CREATE INDEX photos_missing_idx ON photos (id) WHERE missing_since IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX photos_missing_idx`);
    await q.query(`ALTER TABLE photos DROP COLUMN missing_since`);
  }
}
