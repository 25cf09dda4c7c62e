import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { inject } from 'vitest';
import { openDatabase } from '../../src/database/data-source.js';
import { adminQuery, withDatabase } from './global-setup.js';

export interface TestDatabase {
  dataSource: DataSource;
  /** `postgres` when DATABASE_URL is set, else `pglite`. */
  kind: 'postgres' | 'pglite';
  /** URL of the throwaway database (Postgres only), for starting the app against it. */
  url?: string;
  close(): Promise<void>;
}

/** A fresh, migrated, isolated database for one test file. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `vitrine_t_${randomBytes(6).toString('hex')}`;
    await adminQuery(url, migrated ? `CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}` : `CREATE DATABASE ${name}`);
    const dbUrl = withDatabase(url, name);
    const dataSource = await openDatabase({ target: { kind: 'postgres', url: dbUrl } });
    return {
      dataSource,
      kind: 'postgres',
      url: dbUrl,
      async close() {
        await dataSource.destroy();
        await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }
  const template = migrated ? new Blob([readFileSync(inject('pgliteTemplate'))]) : undefined;
  const dataSource = await openDatabase({ target: { kind: 'pglite-memory', loadDataDir: template } });
  return { dataSource, kind: 'pglite', close: () => dataSource.destroy() };
}
