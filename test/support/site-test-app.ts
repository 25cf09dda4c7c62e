import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../../src/access/principal.js';
import { createApp } from '../../src/bootstrap/server.js';
import { createLogger } from '../../src/common/logger.js';
import { loadConfig } from '../../src/config/config.js';
import { createTestDatabase } from './database.js';
import type { TestApp } from './test-app.js';

/** Test-only header carrying a JSON {@link Principal}; read by {@link principalHeaderMiddleware}. */
export const TEST_PRINCIPAL_HEADER = 'x-test-principal';

/**
 * Test-only stand-in for the auth layer: sets `req.principal` from {@link TEST_PRINCIPAL_HEADER}.
 * Never registered outside tests.
 */
export function principalHeaderMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const raw = req.get(TEST_PRINCIPAL_HEADER);
  if (raw) (req as Request & { principal?: Principal }).principal = JSON.parse(raw) as Principal;
  next();
}

/** Header value for a principal, for supertest's `.set(TEST_PRINCIPAL_HEADER, as(p))`. */
export const as = (principal: Principal): string => JSON.stringify(principal);

/** Like `createTestApp`, with the principal header middleware registered before init. */
export async function createSiteTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'vitrine-site-')), LOG_LEVEL: 'silent', ...env });
  const app = await createApp(config, db.dataSource, createLogger('silent'));
  app.use(principalHeaderMiddleware);
  await app.init();
  return {
    app,
    db,
    config,
    async close() {
      await app.close();
      if (db.kind === 'postgres') await db.close().catch(() => undefined);
    },
  };
}
