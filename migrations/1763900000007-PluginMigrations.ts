import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plugin migrations are tracked apart from core's (`migrations`): one row per applied migration
 * of a plugin, so a plugin's tables can be reverted alone (uninstall with dropData). Also an
 * index for searching plugin metadata fields stored in `photos.plugin_data`.
 */
export class PluginMigrations1763900000007 implements MigrationInterface {
  name = 'PluginMigrations1763900000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE plugin_migrations (
        plugin text NOT NULL,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (plugin, name)
      );
      CREATE INDEX photos_plugin_data_gin ON photos USING gin (plugin_data jsonb_path_ops);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX photos_plugin_data_gin;
      DROP TABLE plugin_migrations;
    `);
  }
}
