import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pino, { type Logger } from 'pino';
import { AppModule } from '../app.module.js';
import { NestPinoLogger } from '../common/logger.js';
import { loadConfig, type VitrineConfig } from '../config/config.js';
import { databaseTargetFor, openDatabase } from '../database/data-source.js';
import { Migrator } from '../database/migrator.js';
import { assertDataDirWritable, createDataDir } from '../bootstrap/preflight.js';
import { hardenSharp } from '../media/sharp.hardening.js';
import { PluginHost } from '../plugin-host/plugin-host.js';

/**
 * Runs a CLI command inside the application's Nest context (same services, hooks and plugins as
 * the server, no HTTP). The job worker does not poll by itself: a command that wants jobs run
 * starts the `JOB_QUEUE` runner explicitly. Logs go to stderr (warnings and errors only, unless LOG_LEVEL
 * is lower) so stdout stays for the command's output. With the embedded database the server must
 * be stopped (the data directory lock says so).
 */
export async function withAppContext<T>(work: (app: INestApplicationContext, config: VitrineConfig, logger: Logger) => Promise<T>): Promise<T> {
  const config = loadConfig();
  assertDataDirWritable(config.dataDir);
  const level = ['debug', 'trace'].includes(config.logLevel) ? config.logLevel : 'warn';
  const logger = pino({ level, base: { app: 'vitrine-cli' } }, pino.destination(2));
  const dataSource = await openDatabase({ target: databaseTargetFor(config) });
  createDataDir(config.dataDir);
  hardenSharp();
  process.env.VITRINE_JOBS_POLL = 'off';
  let app: INestApplicationContext | undefined;
  try {
    await new Migrator(dataSource).up();
    const plugins = await PluginHost.start({ config, dataSource, logger });
    app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, dataSource, logger, plugins }), { logger: new NestPinoLogger(logger) });
    return await work(app, config, logger);
  } finally {
    if (app) await app.close();
    else await dataSource.destroy().catch(() => undefined);
  }
}
