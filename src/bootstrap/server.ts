import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { setupOpenApi } from '../api/openapi.setup.js';
import { installAuthMiddleware } from '../auth/auth.middleware.js';
import { createLogger, NestPinoLogger } from '../common/logger.js';
import type { VitrineConfig } from '../config/config.js';
import { databaseTargetFor, openDatabase } from '../database/data-source.js';
import { Migrator } from '../database/migrator.js';
import { hardenSharp } from '../media/sharp.hardening.js';
import { FirstRunService, type FirstRunResult } from '../setup/first-run.service.js';
import { assertDataDirWritable, assertPortFree, createDataDir } from './preflight.js';

export interface RunningServer {
  app: INestApplication;
  url: string;
  firstRun: FirstRunResult;
  close(): Promise<void>;
}

/** Builds the Nest application on an open DataSource (also used by e2e tests). */
export async function createApp(config: VitrineConfig, dataSource: DataSource, logger: Logger): Promise<NestExpressApplication> {
  hardenSharp(); // block SVG/PDF/… loaders process-wide before any upload is decoded (idempotent)
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, dataSource, logger }), {
    logger: new NestPinoLogger(logger),
    bodyParser: true,
  });
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp<import('node:http').IncomingMessage, import('node:http').ServerResponse, never>({
      logger,
      customLogLevel: (_req, res, err): 'error' | 'info' | 'debug' => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
      autoLogging: { ignore: (req) => req.url === '/health' },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    }),
  );
  installAuthMiddleware(app);
  setupOpenApi(app); // /api/docs (Swagger UI from swagger-ui-dist, no CDN) and /api/docs/openapi.json
  return app;
}

/**
 * Starts the server: checks the data directory and port, opens and migrates the database,
 * creates the webmaster on the first start, and listens. Throws VitrineError with one clear
 * sentence for every expected start-up problem; nothing is written before the checks pass.
 */
export async function startServer(config: VitrineConfig): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  await assertPortFree(config.port, config.host);
  assertDataDirWritable(config.dataDir);
  const target = databaseTargetFor(config);
  const dataSource = await openDatabase({ target });
  createDataDir(config.dataDir);
  let app: NestExpressApplication | undefined;
  try {
    const applied = await new Migrator(dataSource).up();
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');
    app = await createApp(config, dataSource, logger);
    const firstRun = await app.get(FirstRunService).ensureWebmaster(config.adminUser, config.adminPassword);
    await app.listen(config.port, config.host);
    const server = app.getHttpServer() as Server;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = config.publicUrl === `http://localhost:${config.port}` ? `http://localhost:${port}` : config.publicUrl;
    const running = app;
    return {
      app: running,
      url,
      firstRun,
      close: async () => {
        server.closeIdleConnections?.();
        await running.close();
      },
    };
  } catch (error) {
    if (app) await app.close().catch(() => undefined);
    else await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}
