import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp, type CreateAppOptions } from '../../src/bootstrap/server.js';
import { createLogger } from '../../src/common/logger.js';
import { loadConfig, type VitrineConfig } from '../../src/config/config.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: NestExpressApplication;
  db: TestDatabase;
  config: VitrineConfig;
  close(): Promise<void>;
}

/** The whole Nest application, in-process, on a fresh test database (use supertest on app.getHttpServer()). */
export async function createTestApp(
  env: Record<string, string> = {},
  options: {
    /** Runs after createApp and before app.init() (e.g. installTestPrincipal). */
    beforeInit?: (app: NestExpressApplication) => void;
    /** createApp options (fast paths of the real server); not with installTestPrincipal. */
    app?: CreateAppOptions;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'vitrine-app-')), LOG_LEVEL: 'silent', ...env });
  const app = await createApp(config, db.dataSource, createLogger('silent'), options.app);
  options.beforeInit?.(app);
  await app.init();
  return {
    app,
    db,
    config,
    async close() {
      await app.close(); // closes the DataSource too
      if (db.kind === 'postgres') await db.close().catch(() => undefined);
    },
  };
}
