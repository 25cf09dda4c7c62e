import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../src/database/data-source.js';
import { Migrator } from '../src/database/migrator.js';

/** A migrated throwaway database: on the DATABASE_URL server when set, else in-memory PGlite. */
export async function openBenchDatabase(label: string): Promise<{ ds: DataSource; kind: string; close(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const ds = await openDatabase({ target: { kind: 'pglite-memory' } });
    await new Migrator(ds).up();
    return { ds, kind: 'PGlite (in-memory)', close: () => ds.destroy() };
  }
  const name = `vitrine_bench_${label}_${process.pid}`;
  const admin = async (sql: string) => {
    const u = new URL(url);
    u.pathname = '/postgres';
    const c = new pg.Client({ connectionString: u.toString() });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await admin(`DROP DATABASE IF EXISTS ${name}`);
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const ds = await openDatabase({ target: { kind: 'postgres', url: u.toString() } });
  await new Migrator(ds).up();
  return {
    ds,
    kind: 'PostgreSQL',
    close: async () => {
      await ds.destroy();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Runs `fn` `n` times and returns p50/p95/max in milliseconds. */
export async function measure(n: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: times[times.length - 1]! };
}

export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
