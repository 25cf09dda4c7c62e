import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ws.php lounge (Piwigo's `lounge` table) is the `lounge` value of `photos.status`: such photos
 * are linked to their albums but hidden by `AccessScope.photoWhere` until `pwg.images.uploadCompleted`,
 * `pwg.images.emptyLounge` or the expiry job (oldest waited 300 s). This partial index makes
 * "every lounge photo" and "the oldest one" cheap, whatever the size of the gallery.
 */
export class PhotoLounge1763900000008 implements MigrationInterface {
  name = 'PhotoLounge1763900000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX photos_lounge_idx ON photos (created_at) WHERE status = 'lounge'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX photos_lounge_idx`);
  }
}
