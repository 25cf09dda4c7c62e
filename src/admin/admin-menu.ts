import type { AppAbility } from '../access/ability.factory.js';
import type { AdminMenuItem } from '../hooks/hook-payloads.js';

/** A core entry of the admin navigation and the right it needs. */
interface CoreEntry extends AdminMenuItem {
  allowed(ability: AppAbility): boolean;
}

/**
 * The admin's own pages. The dashboard and the album, photo and share-link pages are open to
 * editors too (they manage content); the rest needs administrators' rights.
 */
const CORE: CoreEntry[] = [
  { id: 'core.dashboard', label: 'Dashboard', href: '/admin', section: 'overview', order: 0, allowed: (a) => a.can('manage', 'Album') },
  { id: 'core.albums', label: 'Albums', href: '/admin/albums', section: 'content', order: 10, allowed: (a) => a.can('manage', 'Album') },
  { id: 'core.photos', label: 'Photos', href: '/admin/photos', section: 'content', order: 20, allowed: (a) => a.can('manage', 'Photo') },
  { id: 'core.shares', label: 'Share links', href: '/admin/shares', section: 'content', order: 30, allowed: (a) => a.can('manage', 'ShareLink') },
  { id: 'core.users', label: 'Users', href: '/admin/users', section: 'people', order: 40, allowed: (a) => a.can('manage', 'User') },
  { id: 'core.groups', label: 'Groups', href: '/admin/groups', section: 'people', order: 50, allowed: (a) => a.can('manage', 'Group') },
  { id: 'core.themes', label: 'Themes', href: '/admin/themes', section: 'site', order: 60, allowed: (a) => a.can('manage', 'Theme') },
  { id: 'core.plugins', label: 'Plugins', href: '/admin/plugins', section: 'site', order: 70, allowed: (a) => a.can('manage', 'Plugin') },
  { id: 'core.settings', label: 'Settings', href: '/admin/settings', section: 'site', order: 80, allowed: (a) => a.can('manage', 'Settings') },
  { id: 'core.audit', label: 'Audit log', href: '/admin/audit', section: 'site', order: 90, allowed: (a) => a.can('read', 'AuditLog') },
];

/** Section headings, in display order; unknown sections (from plugins) come last under their own name. */
export const MENU_SECTIONS: Record<string, string> = { overview: '', content: 'Content', people: 'People', site: 'Site', plugins: 'Plugins' };

/** The core entries this ability may open. */
export function coreMenu(ability: AppAbility): AdminMenuItem[] {
  return CORE.filter((e) => e.allowed(ability)).map(({ allowed: _allowed, ...item }) => item);
}

/** One navigation group as the layout renders it. */
export interface MenuGroup {
  label: string;
  items: { label: string; href: string; current: boolean }[];
}

/**
 * Groups entries by section (known sections first), sorted by `order`; marks the entry whose
 * href is the longest prefix of the current path. Entries with non-local hrefs are dropped.
 */
export function groupMenu(items: AdminMenuItem[], currentPath: string): MenuGroup[] {
  const safe = items.filter((i) => typeof i.href === 'string' && i.href.startsWith('/') && !i.href.startsWith('//'));
  const current = safe
    .filter((i) => currentPath === i.href || (i.href !== '/admin' && currentPath.startsWith(`${i.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0];
  const sections = [...new Set(safe.map((i) => i.section))].sort((a, b) => rank(a) - rank(b));
  return sections.map((section) => ({
    label: MENU_SECTIONS[section] ?? section,
    items: safe
      .filter((i) => i.section === section)
      .sort((a, b) => a.order - b.order)
      .map((i) => ({ label: i.label, href: i.href, current: i === current })),
  }));
}

function rank(section: string): number {
  const i = Object.keys(MENU_SECTIONS).indexOf(section);
  return i === -1 ? 100 : i;
}
