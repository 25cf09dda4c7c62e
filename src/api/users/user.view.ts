import type { Group } from '../../groups/group.entity.js';
import { ROLES, type User } from '../../users/user.entity.js';
import { z } from 'zod';
import { iso } from '../api-request.js';
import { isoDate } from '../../common/view.schema.js';

/** A user in API answers (never the password hash). */
export const userViewSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  role: z.enum(ROLES),
  privacyLevel: z.number().int(),
  status: z.enum(['active', 'disabled']),
  locale: z.string().nullable(),
  lastLoginAt: isoDate,
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type UserView = z.infer<typeof userViewSchema>;

export const groupViewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  isDefault: z.boolean(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type GroupView = z.infer<typeof groupViewSchema>;

export function userView(u: User): UserView {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    privacyLevel: u.privacyLevel,
    status: u.status,
    locale: u.locale,
    lastLoginAt: iso(u.lastLoginAt),
    createdAt: iso(u.createdAt),
    updatedAt: iso(u.updatedAt),
  };
}

export function groupView(g: Group): GroupView {
  return { id: g.id, name: g.name, description: g.description, isDefault: g.isDefault, createdAt: iso(g.createdAt), updatedAt: iso(g.updatedAt) };
}
