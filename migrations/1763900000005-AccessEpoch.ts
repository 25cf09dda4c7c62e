import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A single counter bumped in the same transaction as every change that can alter what a
 * principal sees (grants, memberships, album tree, status, visibility, roles, share links).
 * Caches of visible-album sets compare it on each request, across processes.
 */
export class AccessEpoch1763900000005 implements MigrationInterface {
  name = 'AccessEpoch1763900000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_epoch (id boolean PRIMARY KEY DEFAULT true CHECK (id), epoch bigint NOT NULL DEFAULT 0);
      INSERT INTO access_epoch (id, epoch) VALUES (true, 0);
      CREATE INDEX albums_restricted_idx ON albums (id) WHERE status = 'private' OR NOT visible;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX albums_restricted_idx; DROP TABLE access_epoch;`);
  }
}
