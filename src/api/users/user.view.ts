import type { Group } from '../../groups/group.entity.js';
import type { User } from '../../users/user.entity.js';
import { iso } from '../api-request.js';

/** A user in API answers (never the password hash). */
export function userView(u: User) {
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
export type UserView = ReturnType<typeof userView>;

export function groupView(g: Group) {
  return { id: g.id, name: g.name, description: g.description, isDefault: g.isDefault, createdAt: iso(g.createdAt), updatedAt: iso(g.updatedAt) };
}
export type GroupView = ReturnType<typeof groupView>;
