import type { INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { createWsHandler, type WsMethodRegistry } from '../piwigo/index.js';
import { tempDirOf } from '../photos/photo-paths.js';
import { WS_METHOD_REGISTRY } from './piwigo-api.module.js';
import { WsContextFactory } from './ws-context.factory.js';
import { installIdentificationRoute } from './ws-identification.route.js';
import { createWsMultipartReader } from './ws-multipart.reader.js';
import { WsAnswerCache } from './ws-response.cache.js';

/** Largest urlencoded body (PHP's post_max_size): addChunk sends base64 chunks of ≤ 500 KB, darktable whole files. */
export const WS_MAX_URLENCODED_BYTES = 64 * 1024 * 1024;

/**
 * Mounts `ALL /ws.php` on the express app. Call once in `createApp`, after the auth middleware
 * and before `app.init()`: the route then runs before Nest's body parser (the engine reads the
 * raw body with PHP's rules, multipart is streamed to disk), before the CSRF token middleware of
 * the JSON API (ws.php has Piwigo's own rules: `pwg_token`, see ws-guards.ts) and before the
 * site's routes. Policies: public, each method checks its own rights (`adminOnly`, services).
 */
export function installWsPhp(app: INestApplication): void {
  const registry = app.get<WsMethodRegistry>(WS_METHOD_REGISTRY);
  const contexts = app.get(WsContextFactory);
  const config = app.get<VitrineConfig>(VITRINE_CONFIG);
  const logger = app.get<Logger>(LOGGER);
  const handler = createWsHandler(registry, (req, res, parsed) => contexts.create(req, res, parsed), {
    readMultipart: createWsMultipartReader({ tempDir: tempDirOf(config), maxFileBytes: config.maxUploadBytes }),
    maxBodyBytes: WS_MAX_URLENCODED_BYTES,
    responseCache: app.get(WsAnswerCache),
    onError: (error) => logger.error({ err: error }, 'ws.php failed'),
  });
  (app.getHttpAdapter().getInstance() as Express).all('/ws.php', handler);
  installIdentificationRoute(app);
}
