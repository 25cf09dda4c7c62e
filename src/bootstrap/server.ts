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
import { PluginHost } from '../plugin-host/plugin-host.js';
import { installWsPhp } from '../piwigo-api/ws-php.install.js';
import { actorOf } from '../plugin-host/plugin-actor.js';
import { runWithHookContext } from '../hooks/hook-context.js';
import { GUEST } from '../access/principal.js';
import type { AccessRequest } from '../access/policies.guard.js';
import { hardenSharp } from '../media/sharp.hardening.js';
import { SitePageCache } from '../site/site-page.cache.js';
import { MediaFileFastPath } from '../photos/media-file.fast-path.js';
import { ApiAnswerCache } from '../api/api-answer.cache.js';
import { FirstRunService, type FirstRunResult } from '../setup/first-run.service.js';
import { assertDataDirWritable, assertPortFree, createDataDir } from './preflight.js';

export interface RunningServer {
  app: INestApplication;
  url: string;
  firstRun: FirstRunResult;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  /**
   * Serve stored anonymous pages before logging, sessions and routing (`SitePageCache.fastPath`).
   * On in the real server; off by default because test harnesses inject principals with headers
   * the fast path does not know about.
   */
  pageCacheFastPath?: boolean;
  /**
   * Serve already-built derivatives to guests and plain session users before logging, sessions
   * and routing (`MediaFileFastPath`). On in the real server; off by default for the same reason.
   */
  mediaFastPath?: boolean;
  /**
   * Serve stored REST listing answers right after the auth chain, before Nest's routing
   * (`ApiAnswerCache.fastPath`). On in the real server; off by default for the same reason as
   * `pageCacheFastPath` (header-injected test principals are installed after it).
   */
  apiCacheFastPath?: boolean;
}

/** Builds the Nest application on an open DataSource (also used by e2e tests). */
export async function createApp(config: VitrineConfig, dataSource: DataSource, logger: Logger, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  hardenSharp(); // block SVG/PDF/… loaders process-wide before any upload is decoded (idempotent)
  const plugins = await PluginHost.start({ config, dataSource, logger });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, dataSource, logger, plugins }), {
    logger: new NestPinoLogger(logger),
    bodyParser: true,
  });
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  if (options.pageCacheFastPath) app.use(app.get(SitePageCache).fastPath()); // stored anonymous pages skip logging, sessions and routing
  if (options.mediaFastPath) app.use(app.get(MediaFileFastPath).handler()); // built derivatives: one DB round trip, no middleware chain
  app.use(
    pinoHttp<import('node:http').IncomingMessage, import('node:http').ServerResponse, never>({
      logger,
      customLogLevel: (_req, res, err): 'error' | 'info' | 'debug' => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
      autoLogging: { ignore: (req) => req.url === '/health' },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    }),
  );
  // Hooks fired anywhere below a request get its actor (read lazily: auth resolves it later).
  app.use((req: AccessRequest, _res: unknown, next: () => void) =>
    runWithHookContext(() => ({ actor: actorOf(req.principal ?? GUEST, req.path === '/ws.php' ? 'ws' : 'session'), requestId: String((req as { id?: unknown }).id ?? '') }), next),
  );
  installAuthMiddleware(app);
  if (options.apiCacheFastPath) app.use(app.get(ApiAnswerCache).fastPath()); // stored REST listings skip Nest's routing
  installWsPhp(app); // ALL /ws.php (Piwigo's web API), before the body parser and every Nest route
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
    app = await createApp(config, dataSource, logger, { pageCacheFastPath: true, mediaFastPath: true, apiCacheFastPath: true });
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
