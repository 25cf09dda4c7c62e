import type { DataSource } from 'typeorm';
import { loadConfig, type VitrineConfig } from '../config/config.js';
import { databaseTargetFor, openDatabase } from '../database/data-source.js';
import { Migrator } from '../database/migrator.js';
import { assertDataDirWritable, createDataDir } from '../bootstrap/preflight.js';

/** Opens the configured database for a CLI command and closes it afterwards. */
export async function withDatabase<T>(
  work: (dataSource: DataSource, config: VitrineConfig) => Promise<T>,
  options: { migrate?: boolean } = { migrate: true },
): Promise<T> {
  const config = loadConfig();
  assertDataDirWritable(config.dataDir);
  const dataSource = await openDatabase({ target: databaseTargetFor(config) });
  createDataDir(config.dataDir);
  try {
    if (options.migrate) await new Migrator(dataSource).up();
    return await work(dataSource, config);
  } finally {
    await dataSource.destroy();
  }
}
