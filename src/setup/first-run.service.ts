import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UserService } from '../users/user.service.js';

export interface FirstRunResult {
  /** The webmaster created on this start, or null when accounts already existed. */
  created: { username: string; password: string; generated: boolean } | null;
}

/**
 * Creates the webmaster account on the very first start (an empty users table). Runs under an
 * advisory lock so that two processes starting together on one Postgres create only one.
 */
@Injectable()
export class FirstRunService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UserService,
  ) {}

  async ensureWebmaster(username: string, password?: string): Promise<FirstRunResult> {
    return this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(7463)`);
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM users`);
      if (n > 0) return { created: null };
      const chosen = password ?? randomBytes(15).toString('base64url');
      await this.users.create({ username, password: chosen, role: 'webmaster' }, em);
      return { created: { username, password: chosen, generated: password === undefined } };
    });
  }
}
