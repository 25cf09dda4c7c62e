import { CheckPolicies } from '../access/policies.decorator.js';

/**
 * Policies of the admin pages. Guests are redirected to the login form by the admin error
 * filter; signed-in users without the right get a 403 page. Content pages (dashboard, albums,
 * photos, share links) are open to editors too; the rest to administrators.
 */
export const AdminPolicies = {
  dashboard: CheckPolicies((a) => a.can('manage', 'Album')),
  albums: CheckPolicies((a) => a.can('manage', 'Album')),
  photos: CheckPolicies((a) => a.can('manage', 'Photo')),
  shares: CheckPolicies((a) => a.can('manage', 'ShareLink')),
  users: CheckPolicies((a) => a.can('manage', 'User')),
  groups: CheckPolicies((a) => a.can('manage', 'Group')),
  themes: CheckPolicies((a) => a.can('manage', 'Theme')),
  plugins: CheckPolicies((a) => a.can('manage', 'Plugin')),
  pluginPages: CheckPolicies((a) => a.can('read', 'Plugin')),
  settings: CheckPolicies((a) => a.can('manage', 'Settings')),
  audit: CheckPolicies((a) => a.can('read', 'AuditLog')),
};
