import type { DataSource } from 'typeorm';

export interface MigrationStatus {
  name: string;
  applied: boolean;
}

/** Runs and inspects TypeORM migrations; used at start-up, by the CLI and by /health. */
export class Migrator {
  constructor(private readonly dataSource: DataSource) {}

  /** Applies every pending migration, each in its own transaction. Returns the names applied. */
  async up(): Promise<string[]> {
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  }

  /** Reverts the most recent `steps` migrations. Returns how many were reverted. */
  async down(steps = 1): Promise<number> {
    let reverted = 0;
    for (let i = 0; i < steps; i++) {
      const before = await this.appliedNames();
      if (before.length === 0) break;
      await this.dataSource.undoLastMigration({ transaction: 'each' });
      reverted++;
    }
    return reverted;
  }

  async status(): Promise<MigrationStatus[]> {
    const applied = new Set(await this.appliedNames());
    return this.dataSource.migrations.map((m) => ({ name: m.name ?? m.constructor.name, applied: applied.has(m.name ?? m.constructor.name) }));
  }

  async pending(): Promise<string[]> {
    return (await this.status()).filter((m) => !m.applied).map((m) => m.name);
  }

  private async appliedNames(): Promise<string[]> {
    const hasTable = await this.dataSource.query(`SELECT to_regclass('migrations') IS NOT NULL AS present`);
    if (!hasTable[0]?.present) return [];
    const rows: { name: string }[] = await this.dataSource.query(`SELECT name FROM migrations ORDER BY id`);
    return rows.map((r) => r.name);
  }
}
