import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies defaults when the environment is empty', () => {
    const config = loadConfig({}, '/srv/vitrine');
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe('/srv/vitrine/data');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.secureCookies).toBe(false);
    expect(config.adminUser).toBe('admin');
  });

  it('names every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x/y', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT: must be a whole number/m);
    expect(problems).toMatch(/^DATABASE_URL: must look like postgres:/m);
    expect(problems).toMatch(/^LOG_LEVEL:/m);
  });

  it('rejects out-of-range ports and treats empty strings as unset', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT: must be between 0 and 65535/);
    expect(loadConfig({ PORT: '' }).port).toBe(8080);
  });

  it('derives secure cookies from an https PUBLIC_URL and trims the trailing slash', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://photos.example.com/' });
    expect(config.publicUrl).toBe('https://photos.example.com');
    expect(config.secureCookies).toBe(true);
  });

  it('chooses the job queue explicitly and refuses pg-boss without PostgreSQL, by name', () => {
    expect(loadConfig({}).jobQueue).toBe('auto');
    expect(loadConfig({ JOB_QUEUE: 'table' }).jobQueue).toBe('table');
    expect(loadConfig({ JOB_QUEUE: 'pgboss', DATABASE_URL: 'postgres://u@db:5432/v' }).jobQueue).toBe('pgboss');
    expect(() => loadConfig({ JOB_QUEUE: 'pgboss' })).toThrow(/JOB_QUEUE: pgboss needs a PostgreSQL server: set DATABASE_URL/);
    expect(() => loadConfig({ JOB_QUEUE: 'redis' })).toThrow(/JOB_QUEUE: .*"redis"/);
  });

  it('masks secrets when describing the configuration', () => {
    const config = loadConfig({ ADMIN_PASSWORD: 'correct horse', DATABASE_URL: 'postgres://u:secret@db:5432/v' });
    const shown = describeConfig(config);
    expect(shown.adminPassword).toBe('***');
    expect(shown.databaseUrl).toBe('postgres://u:***@db:5432/v');
    expect(JSON.stringify(shown)).not.toContain('secret');
    expect(JSON.stringify(shown)).not.toContain('correct horse');
  });
});
