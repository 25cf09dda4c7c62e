import type { Request } from 'express';
import type { AccessRequest } from '../access/policies.guard.js';
import { GUEST, isAdmin, type Principal } from '../access/principal.js';

/** The principal the auth layer attached to the request, or the guest. */
export function principalOf(req: Request): Principal {
  return (req as AccessRequest).principal ?? GUEST;
}

/** Whether the request comes from an administrator (sees every album, photo and count). */
export function isAdminRequest(req: Request): boolean {
  return isAdmin(principalOf(req));
}

/** ISO-8601 string of a date column, or null. */
export function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
