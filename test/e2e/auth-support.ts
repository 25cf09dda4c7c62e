import type { Server } from 'node:http';
import request from 'supertest';
import { AUTH_SETTINGS, type AuthSettings } from '../../src/auth/auth.settings.js';
import { UserService } from '../../src/users/user.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** An in-process app with a movable clock, for the auth tests. */
export interface AuthTestApp {
  t: TestApp;
  server: Server;
  users: UserService;
  settings: AuthSettings;
  /** Moves the auth clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startAuthApp(): Promise<AuthTestApp> {
  const t = await createTestApp();
  const settings = t.app.get<AuthSettings>(AUTH_SETTINGS);
  let offset = 0;
  settings.now = () => Date.now() + offset;
  return {
    t,
    server: t.app.getHttpServer() as Server,
    users: t.app.get(UserService),
    settings,
    advance: (ms) => {
      offset += ms;
    },
    close: () => t.close(),
  };
}

/** The `vitrine_sid` value a response sets, or null. */
export function sidOf(res: { headers: Record<string, unknown> }): string | null {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  for (const c of cookies) {
    const m = /^vitrine_sid=([^;]*)/.exec(c);
    if (m) return decodeURIComponent(m[1]!);
  }
  return null;
}

/** The raw Set-Cookie line of `vitrine_sid`. */
export function sidCookieLine(res: { headers: Record<string, unknown> }): string | undefined {
  return ((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith('vitrine_sid='));
}

/** The session id in the store for a signed cookie value (`s:<sid>.<sig>`). */
export function storeSid(cookieValue: string): string {
  return cookieValue.replace(/^s:/, '').replace(/\.[^.]*$/, '');
}

/** The `_csrf` hidden field of an HTML page. */
export function formToken(html: string): string {
  const m = /name="_csrf" value="([^"]*)"/.exec(html);
  if (!m) throw new Error('no _csrf field');
  return m[1]!;
}

/** Logs in over the JSON API with an agent (keeps the cookie); answers the response. */
export function loginJson(agent: request.Agent, username: string, password: string, ip = '203.0.113.10') {
  return agent.post('/api/v1/session').set('X-Forwarded-For', ip).send({ username, password });
}
