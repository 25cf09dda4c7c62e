import { resolve } from 'node:path';
import { z } from 'zod';

/** `JOB_QUEUE`: which durable job queue runs (src/jobs/README.md). */
export const JOB_QUEUE_CHOICES = ['auto', 'pgboss', 'table'] as const;
export type JobQueueChoice = (typeof JOB_QUEUE_CHOICES)[number];

/** Log levels understood by the pino logger. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The effective configuration of one Vitrine process. Built once from the environment by
 * {@link loadConfig}; everything else receives it through dependency injection.
 */
export interface VitrineConfig {
  /** TCP port of the HTTP server (`PORT`, default 8080). */
  port: number;
  /** Interface to bind (`HOST`, default 0.0.0.0). */
  host: string;
  /** Absolute path of the data directory (`DATA_DIR`, default ./data). */
  dataDir: string;
  /** `postgres://` URL of a real PostgreSQL server, or undefined for the embedded PGlite database. */
  databaseUrl: string | undefined;
  /** Public base URL without trailing slash (`PUBLIC_URL`, default http://localhost:PORT). */
  publicUrl: string;
  /** Whether cookies must be `Secure` (true when PUBLIC_URL is https). */
  secureCookies: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Pretty, human-oriented log lines instead of JSON (`LOG_FORMAT=pretty`). */
  logPretty: boolean;
  /** Webmaster account created on the first start (`ADMIN_USER`, `ADMIN_PASSWORD`). */
  adminUser: string;
  adminPassword: string | undefined;
  /** Largest accepted upload in bytes (`MAX_UPLOAD_BYTES`, default 200 MB). */
  maxUploadBytes: number;
  /** Largest accepted image in pixels (`MAX_IMAGE_PIXELS`, default 100 MP). */
  maxImagePixels: number;
  /** Extra folders holding plugin folders, searched after the bundled `plugins/` (`PLUGINS_DIR`, `:`-separated). */
  pluginDirs: string[];
  /** Plugins enabled at start-up, installed on their first start (`PLUGINS_ENABLE`, comma-separated). */
  pluginsEnable: string[];
  /**
   * The job queue (`JOB_QUEUE`, default `auto`): `pgboss` (PostgreSQL only), `table` (the `jobs`
   * table, PGlite or PostgreSQL), `auto` = pgboss with DATABASE_URL, table on embedded PGlite.
   */
  jobQueue: JobQueueChoice;
}

/** Thrown when the environment holds invalid values; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A whole-number environment variable within [min, max]. */
export const intInRange = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

const databaseUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must look like postgres://user@host:5432/database');

const envSchema = z.object({
  PORT: intInRange(0, 65535).optional(),
  HOST: z.string().trim().min(1).optional(),
  DATA_DIR: z.string().trim().min(1).optional(),
  DATABASE_URL: databaseUrl.optional(),
  PUBLIC_URL: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^/]+/.test(v) && URL.canParse(v), 'must be an http(s) URL such as https://photos.example.com')
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  ADMIN_USER: z.string().trim().min(1).max(100).optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  MAX_UPLOAD_BYTES: intInRange(1024, 50 * 1024 ** 3).optional(),
  MAX_IMAGE_PIXELS: intInRange(1, 1_000_000_000).optional(),
  PLUGINS_DIR: z.string().trim().min(1).optional(),
  PLUGINS_ENABLE: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]*(\s*,\s*[a-z][a-z0-9-]*)*$/, 'must be plugin names separated by commas, e.g. exif-details,map')
    .optional(),
  JOB_QUEUE: z.enum(JOB_QUEUE_CHOICES).optional(),
});

/** Variables that hold secrets: masked by {@link describeConfig}. */
const SECRET_KEYS = new Set(['adminPassword']);

/**
 * Validates the variables a schema names (empty strings count as unset).
 * @throws ConfigError naming every invalid variable and the value it had.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const present = Object.fromEntries(
    Object.keys(schema.shape)
      .map((key) => [key, env[key]])
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message} (got "${present[String(issue.path[0])]}")`),
    );
  }
  return parsed.data;
}

/**
 * Reads the configuration from environment variables. Empty strings count as unset.
 * @throws ConfigError naming every invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): VitrineConfig {
  const e = parseEnv(envSchema, env);
  if (e.JOB_QUEUE === 'pgboss' && !e.DATABASE_URL) {
    throw new ConfigError(['JOB_QUEUE: pgboss needs a PostgreSQL server: set DATABASE_URL, or use table or auto with the embedded database (got "pgboss")']);
  }
  const port = e.PORT ?? 8080;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    port,
    host: e.HOST ?? '0.0.0.0',
    dataDir: resolve(cwd, e.DATA_DIR ?? 'data'),
    databaseUrl: e.DATABASE_URL,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    logLevel: e.LOG_LEVEL ?? 'info',
    logPretty: e.LOG_FORMAT === 'pretty',
    adminUser: e.ADMIN_USER ?? 'admin',
    adminPassword: e.ADMIN_PASSWORD,
    maxUploadBytes: e.MAX_UPLOAD_BYTES ?? 200 * 1024 * 1024,
    maxImagePixels: e.MAX_IMAGE_PIXELS ?? 100_000_000,
    pluginDirs: (e.PLUGINS_DIR ?? '').split(':').filter(Boolean).map((dir) => resolve(cwd, dir)),
    pluginsEnable: (e.PLUGINS_ENABLE ?? '').split(',').map((n) => n.trim()).filter(Boolean),
    jobQueue: e.JOB_QUEUE ?? 'auto',
  };
}

/** Masks the password in a database URL, for display. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '***';
  }
}

/** The configuration as printable key/value pairs, secrets masked. */
export function describeConfig(config: VitrineConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (SECRET_KEYS.has(key)) out[key] = value === undefined ? '(generated on first start)' : '***';
    else if (key === 'databaseUrl') out[key] = value === undefined ? '(embedded PGlite in dataDir/db)' : maskDatabaseUrl(String(value));
    else out[key] = String(value);
  }
  return out;
}

/** Nest injection token for the {@link VitrineConfig}. */
export const VITRINE_CONFIG = Symbol('VITRINE_CONFIG');
