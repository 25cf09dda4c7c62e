import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/** Creates the process logger: JSON lines on stdout (pino), at the configured level. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'vitrine' }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** Routes Nest's own log calls into pino, so that every line has the same shape. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

/** Nest injection token for the pino {@link Logger}. */
export const LOGGER = Symbol('LOGGER');
