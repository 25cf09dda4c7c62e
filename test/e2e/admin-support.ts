import type { Server } from 'node:http';
import request from 'supertest';
import { expect } from 'vitest';
import type { Role } from '../../src/users/user.entity.js';
import { UserService } from '../../src/users/user.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { sidOf } from './auth-support.js';

export const PASSWORD = 'correct horse battery';

/** A logged-in browser-like session: its cookie and CSRF token. */
export interface AdminSession {
  cookie: string;
  csrf: string;
  userId: number;
}

export interface AdminTestApp {
  t: TestApp;
  server: Server;
  users: UserService;
  /** Creates a user with `role` and logs in through the JSON session API. */
  login(username: string, role: Role): Promise<AdminSession>;
  get(path: string, s?: AdminSession): request.Test;
  /** A form POST (urlencoded) with the session's `_csrf` unless `csrf: false`. */
  post(path: string, s: AdminSession | undefined, fields?: Record<string, string | string[]>, options?: { csrf?: boolean }): request.Test;
  close(): Promise<void>;
}

export async function startAdminApp(env: Record<string, string> = {}): Promise<AdminTestApp> {
  const t = await createTestApp(env);
  const server = t.app.getHttpServer() as Server;
  const users = t.app.get(UserService);
  return {
    t,
    server,
    users,
    async login(username, role) {
      const user = await users.create({ username, password: PASSWORD, role, privacyLevel: role === 'webmaster' || role === 'admin' ? 8 : 0 });
      const res = await request(server).post('/api/v1/session').send({ username, password: PASSWORD });
      expect(res.status).toBe(200);
      return { cookie: `vitrine_sid=${encodeURIComponent(sidOf(res)!)}`, csrf: res.body.csrfToken as string, userId: user.id };
    },
    get(path, s) {
      const r = request(server).get(path);
      return s ? r.set('Cookie', s.cookie) : r;
    },
    post(path, s, fields = {}, options = {}) {
      const r = request(server).post(path).type('form');
      if (s) r.set('Cookie', s.cookie);
      const body: Record<string, string | string[]> = { ...fields };
      if (s && options.csrf !== false) body._csrf = s.csrf;
      return r.send(new URLSearchParams(Object.entries(body).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]))).toString());
    },
    close: () => t.close(),
  };
}

/** The flash message of the page a redirect leads to. */
export async function followFlash(app: AdminTestApp, s: AdminSession, res: request.Response): Promise<string> {
  expect(res.status, res.text).toBe(303);
  const page = await app.get(res.headers.location as string, s).expect(200);
  const m = /<div class="flash flash--(\w+)"[^>]*>\s*<p>([^<]*)<\/p>/.exec(page.text);
  return m ? `${m[1]}: ${m[2]}` : '';
}
