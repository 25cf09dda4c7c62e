import type { Request } from 'express';
import type { Principal } from '../access/principal.js';
import type { PrivacyLevel, Role, UserStatus } from '../users/user.entity.js';

declare module 'express-session' {
  interface SessionData {
    /** Set by passport at login: `{ user: <users.id> }`. UserService ends sessions by this path. */
    passport?: { user?: number };
    /** Epoch ms of the login that created this session (absolute expiry, password-change check). */
    authAt?: number;
    /** Synchronizer CSRF token of this session (base64url, 32 random bytes). */
    csrfToken?: string;
  }
}

/** The user as the auth layer sees it (no password hash). */
export interface AuthUser {
  id: number;
  username: string;
  email: string | null;
  displayName: string | null;
  role: Role;
  privacyLevel: PrivacyLevel;
  status: UserStatus;
  locale: string | null;
  lastLoginAt: Date | null;
}

/** Request fields the auth layer sets. `principal` is always set once the auth middleware ran. */
export interface AuthRequest extends Request {
  principal?: Principal;
  /**
   * The session's CSRF token for forms (`''` when the request has no session: such requests need
   * none). `{ create: true }` starts a session to hold one (login boxes rendered for guests).
   */
  csrfToken?: (options?: { create?: boolean }) => string;
}

/** Methods that never change state; everything else is "unsafe" for CSRF and API-key scopes. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The bearer token of the request, or null when it sends no `Authorization: Bearer` header. */
export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S{1,500})[ \t]*$/i.exec(header);
  if (match) return match[1]!;
  return /^Bearer\b/i.test(header) ? '' : null;
}

/** The client address (honours `trust proxy`), bounded for storage. */
export function clientIp(req: Request): string | null {
  const ip = req.ip ?? req.socket?.remoteAddress;
  return ip ? ip.slice(0, 64) : null;
}
