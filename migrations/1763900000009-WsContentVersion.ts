import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['photos', 'album_photos', 'albums', 'tags', 'photo_tags'];

/**
 * A data version for ws.php's answer cache: a sequence that every write statement on the tables
 * listings read from advances (statement-level triggers; a sequence never blocks writers). The
 * cache keys answers by it and by the access epoch, so a change is seen on the next request.
 */
export class WsContentVersion1763900000009 implements MigrationInterface {
  name = 'WsContentVersion1763900000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE ws_content_version`);
    await q.query(
      `CREATE FUNCTION ws_bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('ws_content_version'); RETURN NULL; END $$`,
    );
    for (const table of TABLES) {
      await q.query(
        `CREATE TRIGGER ws_content_version_${table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ws_bump_content_version()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`DROP TRIGGER ws_content_version_${table} ON ${table}`);
    await q.query(`DROP FUNCTION ws_bump_content_version()`);
    await q.query(`DROP SEQUENCE ws_content_version`);
  }
}
