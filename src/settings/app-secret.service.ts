import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The installation's secret key (for HMAC-signed cookies and tokens), created on first use and
 * kept in the `settings` table so that every process of one installation shares it.
 */
@Injectable()
export class AppSecretService {
  private secret: Buffer | undefined;

  constructor(private readonly dataSource: DataSource) {}

  async get(): Promise<Buffer> {
    if (this.secret) return this.secret;
    const fresh = randomBytes(32).toString('base64url');
    await this.dataSource.query(`INSERT INTO settings (key, value) VALUES ('app_secret', to_jsonb($1::text)) ON CONFLICT (key) DO NOTHING`, [fresh]);
    const [row] = await this.dataSource.query(`SELECT value #>> '{}' AS secret FROM settings WHERE key = 'app_secret'`);
    this.secret = Buffer.from(row.secret as string, 'base64url');
    return this.secret;
  }
}
