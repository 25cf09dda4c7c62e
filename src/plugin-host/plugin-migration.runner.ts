import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { PluginLifecycleError } from '../plugins/plugin.errors.js';
import type { LoadedPlugin } from '../plugins/plugin.loader.js';
import type { PluginDataManager } from '../plugins/plugin-lifecycle.service.js';

/** Name a plugin migration is recorded under: its `name` property, else its class name. */
function migrationName(migration: MigrationInterface, cls: { name: string }): string {
  return migration.name ?? cls.name;
}

/**
 * Runs a plugin's own TypeORM migrations, tracked in `plugin_migrations` (apart from core's
 * `migrations` table), each in its own transaction. `dropData` reverts them newest first and
 * removes the plugin's namespace from `photos.plugin_data`.
 */
export class PluginMigrationRunner implements PluginDataManager {
  constructor(private readonly dataSource: DataSource) {}

  /** Names of the plugin's applied migrations, oldest first. */
  async applied(plugin: string): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT name FROM plugin_migrations WHERE plugin = $1 ORDER BY applied_at, name`,
      [plugin],
    );
    return rows.map((r) => r.name);
  }

  /** Applies the plugin's pending migrations in declaration order; returns their names. */
  async migrate(plugin: LoadedPlugin): Promise<string[]> {
    const done = new Set(await this.applied(plugin.name));
    const ran: string[] = [];
    for (const cls of plugin.definition.migrations ?? []) {
      const migration = new cls();
      const name = migrationName(migration, cls);
      if (done.has(name)) continue;
      await this.inTransaction(plugin.name, name, 'up', async (q) => {
        await migration.up(q);
        await q.query(`INSERT INTO plugin_migrations (plugin, name, applied_at) VALUES ($1, $2, clock_timestamp())`, [plugin.name, name]);
      });
      ran.push(name);
    }
    return ran;
  }

  /** Reverts the plugin's applied migrations, newest first (at most `steps`); returns their names. */
  async revert(plugin: LoadedPlugin, steps = Number.POSITIVE_INFINITY): Promise<string[]> {
    const classes = new Map((plugin.definition.migrations ?? []).map((cls) => [migrationName(new cls(), cls), cls]));
    const reverted: string[] = [];
    for (const name of (await this.applied(plugin.name)).reverse()) {
      if (reverted.length >= steps) break;
      const cls = classes.get(name);
      if (!cls) throw new PluginLifecycleError(plugin.name, 'uninstall', new Error(`migration "${name}" was applied but the plugin no longer ships it; cannot revert it.`));
      await this.inTransaction(plugin.name, name, 'down', async (q) => {
        await new cls().down(q);
        await q.query(`DELETE FROM plugin_migrations WHERE plugin = $1 AND name = $2`, [plugin.name, name]);
      });
      reverted.push(name);
    }
    return reverted;
  }

  async dropData(plugin: LoadedPlugin): Promise<void> {
    await this.revert(plugin);
    await this.dataSource.query(`UPDATE photos SET plugin_data = plugin_data - $1::text WHERE plugin_data ? $1::text`, [plugin.name]);
  }

  private async inTransaction(plugin: string, name: string, direction: 'up' | 'down', work: (q: QueryRunner) => Promise<void>): Promise<void> {
    const q = this.dataSource.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    try {
      await work(q);
      await q.commitTransaction();
    } catch (error) {
      await q.rollbackTransaction().catch(() => undefined);
      const cause = new Error(`migration ${name} (${direction}) failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      throw new PluginLifecycleError(plugin, direction === 'up' ? 'install' : 'uninstall', cause);
    } finally {
      await q.release();
    }
  }
}
