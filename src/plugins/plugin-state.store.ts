/**
 * One row of the `plugins` table (migration AuditAndPlugins): a plugin is installed when it has a
 * row, enabled when `enabled` is true. Disabling keeps the row, its settings and its data.
 */
export interface PluginStateRow {
  name: string;
  /** Version that was last installed or upgraded to. */
  version: string;
  enabled: boolean;
  /** Settings, as validated by the plugin's options schema. */
  settings: Record<string, unknown>;
  installedAt: Date;
  updatedAt: Date;
}

/**
 * Persistence of plugin lifecycle state. The integration layer implements it over the
 * `plugins` table (inside the caller's transaction where there is one); tests use
 * {@link InMemoryPluginStateStore}.
 */
export interface PluginStateStore {
  get(name: string): Promise<PluginStateRow | undefined>;
  list(): Promise<PluginStateRow[]>;
  insert(row: PluginStateRow): Promise<void>;
  update(name: string, patch: Partial<Pick<PluginStateRow, 'version' | 'enabled' | 'settings' | 'updatedAt'>>): Promise<void>;
  delete(name: string): Promise<void>;
}

/** A {@link PluginStateStore} in memory, for unit tests and dry runs. */
export class InMemoryPluginStateStore implements PluginStateStore {
  private readonly rows = new Map<string, PluginStateRow>();

  constructor(rows: readonly PluginStateRow[] = []) {
    for (const row of rows) this.rows.set(row.name, { ...row });
  }

  async get(name: string): Promise<PluginStateRow | undefined> {
    const row = this.rows.get(name);
    return row && { ...row };
  }

  async list(): Promise<PluginStateRow[]> {
    return [...this.rows.values()].map((r) => ({ ...r })).sort((a, b) => a.name.localeCompare(b.name));
  }

  async insert(row: PluginStateRow): Promise<void> {
    if (this.rows.has(row.name)) throw new Error(`Plugin "${row.name}" already has a state row.`);
    this.rows.set(row.name, { ...row });
  }

  async update(name: string, patch: Partial<Pick<PluginStateRow, 'version' | 'enabled' | 'settings' | 'updatedAt'>>): Promise<void> {
    const row = this.rows.get(name);
    if (!row) throw new Error(`Plugin "${name}" has no state row.`);
    this.rows.set(name, { ...row, ...patch });
  }

  async delete(name: string): Promise<void> {
    this.rows.delete(name);
  }
}
