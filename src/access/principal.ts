import type { PrivacyLevel, Role } from '../users/user.entity.js';

/**
 * Who is asking. Built once per request by the auth layer (session cookie, API key, ws.php
 * session or share-link cookie) and handed to every service that reads or writes content.
 */
export type Principal =
  | { kind: 'guest'; role: 'guest'; privacyLevel: 0 }
  | {
      kind: 'user';
      userId: number;
      username: string;
      role: Role;
      privacyLevel: PrivacyLevel;
      /** Set when authenticated by an API key: the key's id and its scopes (a subset of the owner's rights). */
      apiKey?: { id: number; scopes: string[] };
    }
  | {
      kind: 'share';
      /** The share link whose token (and password, if any) the visitor presented. */
      shareLinkId: number;
      role: 'guest';
      privacyLevel: 0;
      allowDownload: boolean;
    };

export const GUEST: Principal = { kind: 'guest', role: 'guest', privacyLevel: 0 };

/** Administrators see everything and manage users. */
export function isAdmin(p: Principal): boolean {
  return p.kind === 'user' && (p.role === 'webmaster' || p.role === 'admin');
}
