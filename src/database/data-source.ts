import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { PostgresDataSourceOptions as PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { CORE_MIGRATIONS } from '../../migrations/index.js';
import { VitrineError } from '../common/errors.js';
import { maskDatabaseUrl } from '../config/config.js';
import { DataDirLock } from './data-dir-lock.js';
import { ensurePgliteCluster, PGLITE_SETTINGS } from './pglite-cluster.js';
import { CORE_ENTITIES } from './entities.js';
import { pgliteDriver } from './pglite-pool.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

/** Where the database lives: a real server, an embedded directory, or an embedded in-memory one. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory'; loadDataDir?: Blob };

export interface OpenDatabaseOptions {
  target: DatabaseTarget;
  /** Extra entities and migrations (plugins). */
  entities?: DataSourceOptions['entities'];
  migrations?: DataSourceOptions['migrations'];
  poolSize?: number;
}

function baseOptions(options: OpenDatabaseOptions): Omit<PostgresConnectionOptions, 'driver'> {
  return {
    type: 'postgres',
    entities: [...CORE_ENTITIES, ...((options.entities as []) ?? [])],
    migrations: [...CORE_MIGRATIONS, ...((options.migrations as []) ?? [])],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    parseInt8: true,
    logging: false,
  };
}

/**
 * Opens (initialises) a TypeORM DataSource on PGlite or Postgres, with the same entities and
 * migrations on both. Does not run migrations. Errors are translated into one clear sentence.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DataSource> {
  const { target } = options;
  if (target.kind === 'postgres') {
    const dataSource = new DataSource({
      ...baseOptions(options),
      url: target.url,
      poolSize: options.poolSize ?? 10,
      connectTimeoutMS: 5000,
    } as PostgresConnectionOptions);
    try {
      return await dataSource.initialize();
    } catch (error) {
      throw describeConnectError(error, target.url);
    }
  }

  let lock: DataDirLock | undefined;
  let db: PGlite;
  if (target.kind === 'pglite') {
    mkdirSync(target.dataDir, { recursive: true });
    lock = DataDirLock.acquire(target.dataDir);
    try {
      await ensurePgliteCluster(target.dataDir);
      db = await PGlite.create({ dataDir: target.dataDir, postgresqlconf: PGLITE_SETTINGS });
    } catch (error) {
      lock.release();
      throw new VitrineError(
        'unavailable',
        'database.open_failed',
        `Could not open the embedded database in ${target.dataDir}: ${(error as Error).message}`,
      );
    }
  } else {
    db = await PGlite.create(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {});
  }
  const dataSource = new DataSource({
    ...baseOptions(options),
    driver: pgliteDriver(db, async () => {
      await db.close();
      lock?.release();
    }),
  } as PostgresConnectionOptions);
  return dataSource.initialize();
}

/** The target chosen by configuration: DATABASE_URL, or PGlite under DATA_DIR/db. */
export function databaseTargetFor(config: { databaseUrl?: string; dataDir: string }): DatabaseTarget {
  return config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: join(config.dataDir, 'db') };
}

function describeConnectError(error: unknown, url: string): VitrineError {
  const e = error as NodeJS.ErrnoException & { code?: string };
  const where = maskDatabaseUrl(url);
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is PostgreSQL running and listening there?)',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name does not resolve',
    ETIMEDOUT: 'the connection timed out',
    '3D000': 'that database does not exist (create it first with createdb)',
    '28P01': 'the password was rejected',
    '28000': 'the server refused this user',
  };
  const reason = (e.code && reasons[e.code]) ?? (e.message?.includes('timeout') ? 'the connection timed out' : e.message);
  return new VitrineError('unavailable', 'database.unreachable', `Cannot connect to the database at ${where}: ${reason}. Check DATABASE_URL.`);
}

/** Whether the DataSource runs on embedded PGlite (one process owns the database). */
export function isEmbeddedDatabase(dataSource: DataSource): boolean {
  return Boolean((dataSource.options as { driver?: unknown }).driver);
}
