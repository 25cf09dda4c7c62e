import type { DataSource } from 'typeorm';
import { GUEST, isAdmin, type Principal } from '../access/principal.js';
import type { ActorRef } from '../hooks/hook-payloads.js';

/** The actor of system work (start-up, `vitrine import` without `--as`): acts as the first webmaster. */
export const SYSTEM_ACTOR: ActorRef = Object.freeze({ userId: null, username: null, role: 'webmaster', via: 'system' });

/** An {@link ActorRef} for a request's principal (what hooks and plugin services receive). */
export function actorOf(principal: Principal, via: ActorRef['via'] = 'session'): ActorRef {
  if (principal.kind === 'user') return { userId: principal.userId, username: principal.username, role: principal.role, via: principal.apiKey ? 'apiKey' : via };
  if (principal.kind === 'share') return { userId: null, username: null, role: 'guest', via: 'shareLink' };
  return { userId: null, username: null, role: 'guest', via };
}

/**
 * The principal a plugin service call acts as. A user actor is re-read from the database (its
 * current role and privacy level, never what the plugin claims); an actor without a user is a
 * guest, except system work, which acts as the oldest active webmaster.
 */
export async function principalOf(actor: ActorRef, dataSource: DataSource): Promise<Principal> {
  let rows: { id: number; username: string; role: string; privacy_level: number }[] = [];
  if (actor.userId !== null) {
    rows = await dataSource.query(`SELECT id, username, role, privacy_level FROM users WHERE id = $1 AND status = 'active'`, [actor.userId]);
  } else if ((actor.via === 'system' || actor.via === 'cli' || actor.via === 'job') && (actor.role === 'webmaster' || actor.role === 'admin')) {
    rows = await dataSource.query(`SELECT id, username, role, privacy_level FROM users WHERE role = 'webmaster' AND status = 'active' ORDER BY id LIMIT 1`);
  }
  const row = rows[0];
  if (!row) return GUEST;
  const principal = { kind: 'user', userId: row.id, username: row.username, role: row.role, privacyLevel: row.privacy_level } as Principal;
  return principal;
}

export { isAdmin };

/** The actor of an HTTP request, for plugin controllers: `requestActor(req)`. */
export function requestActor(req: { principal?: Principal }): ActorRef {
  return actorOf(req.principal ?? GUEST);
}
