import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { Migrator } from '../database/migrator.js';

export interface HealthReport {
  status: 'ok' | 'error';
  checks: {
    database: 'ok' | string;
    migrations: 'current' | string;
    dataDir: 'writable' | string;
  };
}

/** Answers "can this process serve?": database reachable, schema current, data dir writable. */
@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
  ) {}

  async check(): Promise<HealthReport> {
    const [database, migrations, dataDir] = await Promise.all([this.database(), this.migrations(), this.dataDir()]);
    const ok = database === 'ok' && migrations === 'current' && dataDir === 'writable';
    return { status: ok ? 'ok' : 'error', checks: { database, migrations, dataDir } };
  }

  private async database(): Promise<string> {
    try {
      await this.dataSource.query('SELECT 1');
      return 'ok';
    } catch (error) {
      return `unreachable: ${(error as Error).message}`;
    }
  }

  private async migrations(): Promise<string> {
    try {
      const pending = await new Migrator(this.dataSource).pending();
      return pending.length === 0 ? 'current' : `pending: ${pending.join(', ')}`;
    } catch (error) {
      return `unknown: ${(error as Error).message}`;
    }
  }

  private async dataDir(): Promise<string> {
    try {
      await access(this.config.dataDir, constants.W_OK);
      return 'writable';
    } catch {
      return `not writable: ${this.config.dataDir}`;
    }
  }
}
