/**
 * Test-only harness for the media e2e tests. Most tests act as a principal without logging in: a tiny
 * middleware installed BEFORE `app.init()` sets `req.principal` from the `X-Test-As` header
 * (`admin`, `contributor`, `member`; absent = guest). It is only ever mounted here, never in src/.
 * It runs after the real auth chain, so a request without the header keeps its session principal
 * (media-upload.test.ts also covers the real flow: `POST /api/v1/session` + CSRF token).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import sharp from 'sharp';
import type { Principal } from '../../src/access/principal.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { createApp } from '../../src/bootstrap/server.js';
import { createLogger } from '../../src/common/logger.js';
import { loadConfig, type VitrineConfig } from '../../src/config/config.js';
import { JOB_QUEUE, type JobRunner } from '../../src/jobs/job-queue.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

export interface MediaTestApp {
  app: NestExpressApplication;
  db: TestDatabase;
  config: VitrineConfig;
  users: Record<'admin' | 'contributor' | 'member', number>;
  albums: AlbumService;
  /** The app's queue: pg-boss on Postgres, the table queue on PGlite. */
  jobs: JobRunner;
  close(): Promise<void>;
}

export async function createMediaTestApp(env: Record<string, string> = {}): Promise<MediaTestApp> {
  process.env.VITRINE_JOBS_POLL = 'off'; // tests run jobs with drain()
  const db = await createTestDatabase();
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'vitrine-media-')), LOG_LEVEL: 'silent', ...env });
  const rows: { id: number; role: string }[] = await db.dataSource.query(
    `INSERT INTO users (username, role, privacy_level) VALUES ('root', 'admin', 8), ('carla', 'contributor', 0), ('mia', 'member', 0) RETURNING id, role`,
  );
  const users = {
    admin: rows.find((r) => r.role === 'admin')!.id,
    contributor: rows.find((r) => r.role === 'contributor')!.id,
    member: rows.find((r) => r.role === 'member')!.id,
  };
  const principals: Record<string, Principal> = {
    admin: { kind: 'user', userId: users.admin, username: 'root', role: 'admin', privacyLevel: 8 },
    contributor: { kind: 'user', userId: users.contributor, username: 'carla', role: 'contributor', privacyLevel: 0 },
    member: { kind: 'user', userId: users.member, username: 'mia', role: 'member', privacyLevel: 0 },
  };
  const app = await createApp(config, db.dataSource, createLogger(process.env.DBG_LOG ?? 'silent'));
  app.use((req: Request & { principal?: Principal }, _res: Response, next: NextFunction) => {
    const as = req.header('x-test-as');
    if (as && principals[as]) req.principal = principals[as];
    next();
  });
  await app.init();
  return {
    app,
    db,
    config,
    users,
    albums: app.get(AlbumService),
    jobs: app.get<JobRunner>(JOB_QUEUE),
    async close() {
      await app.close();
      if (db.kind === 'postgres') await db.close().catch(() => undefined);
    },
  };
}

/** A small, valid JPEG whose content depends on `seed` (distinct hashes). */
export function jpeg(seed: number, width = 640, height = 480): Promise<Buffer> {
  const c = (n: number) => (n % 256).toString(16).padStart(2, '0');
  return sharp({ create: { width, height, channels: 3, background: `#${c(seed * 37)}${c(seed * 91 + 40)}${c(seed * 13 + 90)}` } })
    .jpeg({ quality: 80 })
    .toBuffer();
}
