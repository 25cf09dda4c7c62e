import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/database/data-source.js';
import { Migrator } from '../../src/database/migrator.js';

/**
 * Prepares one migrated database template per test run, so that each test file gets a fresh,
 * isolated database in well under a second:
 * - PGlite: a dump of a migrated in-memory instance, loaded by every test file;
 * - Postgres (DATABASE_URL set): a migrated template database cloned with CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `vitrine_tpl_${process.pid}`;
    await adminQuery(url, `DROP DATABASE IF EXISTS ${template}`);
    await adminQuery(url, `CREATE DATABASE ${template}`);
    const templateUrl = withDatabase(url, template);
    const ds = await openDatabase({ target: { kind: 'postgres', url: templateUrl } });
    await new Migrator(ds).up();
    await ds.destroy();
    // pg-boss's schema too (the app's queue on Postgres creates it at start otherwise: ~0.2–0.5 s per test database).
    const boss = new PgBoss({ connectionString: templateUrl, max: 1, supervise: false, schedule: false });
    boss.on('error', () => undefined);
    await boss.start();
    await boss.stop({ graceful: false });
    project.provide('pgTemplate', template);
    project.provide('pgliteTemplate', '');
    return async () => {
      await adminQuery(url, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-tpl-'));
  const ds = await openDatabase({ target: { kind: 'pglite-memory' } });
  await new Migrator(ds).up();
  const pool = (ds.driver as unknown as { master: { instance: import('@electric-sql/pglite').PGlite } }).master;
  const dump = await pool.instance.dumpDataDir('none');
  const file = join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await ds.destroy();
  project.provide('pgTemplate', '');
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    pgliteTemplate: string;
  }
}
