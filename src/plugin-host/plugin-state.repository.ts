import type { DataSource, EntityManager } from 'typeorm';
import type { PluginStateRow, PluginStateStore } from '../plugins/plugin-state.store.js';

interface RawRow {
  name: string;
  version: string;
  enabled: boolean;
  settings: Record<string, unknown> | null;
  installed_at: Date;
  updated_at: Date;
}

/** {@link PluginStateStore} over the `plugins` table (migration AuditAndPlugins). */
export class PluginStateRepository implements PluginStateStore {
  constructor(private readonly db: DataSource | EntityManager) {}

  async get(name: string): Promise<PluginStateRow | undefined> {
    const rows: RawRow[] = await this.db.query(`SELECT * FROM plugins WHERE name = $1`, [name]);
    return rows[0] && toRow(rows[0]);
  }

  async list(): Promise<PluginStateRow[]> {
    const rows: RawRow[] = await this.db.query(`SELECT * FROM plugins ORDER BY name`);
    return rows.map(toRow);
  }

  async insert(row: PluginStateRow): Promise<void> {
    await this.db.query(
      `INSERT INTO plugins (name, version, enabled, settings, installed_at, updated_at) VALUES ($1, $2, $3, $4::jsonb, $5, $6)`,
      [row.name, row.version, row.enabled, JSON.stringify(row.settings ?? {}), row.installedAt, row.updatedAt],
    );
  }

  async update(name: string, patch: Partial<Pick<PluginStateRow, 'version' | 'enabled' | 'settings' | 'updatedAt'>>): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [name];
    const set = (column: string, value: unknown, cast = '') => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (patch.version !== undefined) set('version', patch.version);
    if (patch.enabled !== undefined) set('enabled', patch.enabled);
    if (patch.settings !== undefined) set('settings', JSON.stringify(patch.settings), '::jsonb');
    set('updated_at', patch.updatedAt ?? new Date());
    await this.db.query(`UPDATE plugins SET ${sets.join(', ')} WHERE name = $1`, params);
  }

  async delete(name: string): Promise<void> {
    await this.db.query(`DELETE FROM plugins WHERE name = $1`, [name]);
  }
}

function toRow(r: RawRow): PluginStateRow {
  return {
    name: r.name,
    version: r.version,
    enabled: r.enabled,
    settings: r.settings ?? {},
    installedAt: new Date(r.installed_at),
    updatedAt: new Date(r.updated_at),
  };
}
