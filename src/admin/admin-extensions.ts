import type { Request } from 'express';
import type { Principal } from '../access/principal.js';

/**
 * One plugin as the admin's plugins page shows it. Filled by the plugin system through
 * {@link AdminPluginService}; all text is shown escaped.
 */
export interface AdminPluginEntry {
  /** Package name, the key used in URLs (`/admin/plugins/<name>/enable`). */
  name: string;
  version: string;
  description: string | null;
  enabled: boolean;
  /** Problems that keep the plugin from loading (incompatible core version, missing dependency…). */
  problems: string[];
  /** An admin page of the plugin (its settings), or null. */
  settingsUrl: string | null;
}

/**
 * What the admin's plugins page needs from the plugin system. The plugin module provides it under
 * {@link ADMIN_PLUGIN_SERVICE}; without a provider the page lists no plugins. `enable`/`disable`
 * throw `VitrineError` (shown to the admin as a message) when the change is refused.
 */
export interface AdminPluginService {
  list(): Promise<AdminPluginEntry[]>;
  enable(name: string, actor: Principal): Promise<void>;
  disable(name: string, actor: Principal): Promise<void>;
}

/** Injection token of the {@link AdminPluginService} implementation. */
export const ADMIN_PLUGIN_SERVICE = Symbol('ADMIN_PLUGIN_SERVICE');

/** What a plugin admin page answers: an HTML fragment (trusted: the plugin escapes) or a redirect. */
export type AdminPageResult = { html: string; title?: string } | { redirect: string };

/**
 * A plugin's admin page at `/admin/plugins/<plugin>/<path>`, rendered inside the admin layout.
 * GET and POST both call `handle` (POST forms carry `_csrf`; the CSRF middleware checks it).
 */
export interface AdminExtensionPage {
  plugin: string;
  /** Below the plugin's root: `` (the root) or `settings`, `rolls/new`… (letters, digits, `-`, `/`). */
  path: string;
  title: string;
  /** CASL check besides "admin area": default `manage Plugin` (admins). */
  permission?: { action: string; subject: string };
  /** A navigation entry for the page (section `plugins` by default). */
  menu?: { label: string; section?: string; order?: number };
  handle(req: Request, principal: Principal): Promise<AdminPageResult>;
}

const PAGE_PATH = /^(?:[a-z0-9][a-z0-9-]*)(?:\/[a-z0-9][a-z0-9-]*)*$|^$/;
const PLUGIN_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * The admin pages plugins contribute. The plugin runtime calls {@link register} for each
 * `adminPages` contribution; the admin router serves them and lists their `menu` entries (then
 * runs the `admin.menu` filter over the whole menu).
 */
export class AdminPageRegistry {
  private readonly pages = new Map<string, AdminExtensionPage>();

  /** Adds a page; returns a function that removes it (plugin disabled). */
  register(page: AdminExtensionPage): () => void {
    if (!PLUGIN_NAME.test(page.plugin)) throw new Error(`invalid plugin name "${page.plugin}"`);
    if (!PAGE_PATH.test(page.path)) throw new Error(`invalid admin page path "${page.path}" (plugin ${page.plugin})`);
    const key = `${page.plugin}/${page.path}`;
    if (this.pages.has(key)) throw new Error(`admin page /admin/plugins/${key} is already registered`);
    this.pages.set(key, page);
    return () => {
      if (this.pages.get(key) === page) this.pages.delete(key);
    };
  }

  find(plugin: string, path: string): AdminExtensionPage | null {
    return this.pages.get(`${plugin}/${path}`) ?? null;
  }

  list(): AdminExtensionPage[] {
    return [...this.pages.values()];
  }
}

/** URL of a plugin admin page. */
export function pluginPageUrl(plugin: string, path: string): string {
  return `/admin/plugins/${plugin}${path ? `/${path}` : ''}`;
}
