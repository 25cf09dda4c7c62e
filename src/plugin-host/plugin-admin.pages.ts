import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { DataSource } from 'typeorm';
import type { AdminPageRegistry, AdminPluginEntry, AdminPluginService } from '../admin/admin-extensions.js';
import { pluginPageUrl } from '../admin/admin-extensions.js';
import { csrfTokenFor } from '../auth/csrf.js';
import { actorOf } from './plugin-actor.js';
import { PluginAdminService } from './plugin-admin.service.js';
import type { PluginHost } from './plugin-host.js';

/**
 * Registers the plugins' admin pages (`definePlugin({ adminPages, adminMenu })`) with the admin:
 * each page's handler builds a view model, rendered with the plugin's template in a Handlebars
 * environment holding the plugins' partials and helpers (text is escaped), inside the admin layout.
 */
export function registerAdminPages(host: PluginHost, registry: AdminPageRegistry): void {
  const hbs = Handlebars.create();
  for (const { key, value } of host.registry.list('partial')) hbs.registerPartial(key, readFileSync(value.file, 'utf8'));
  for (const { key, value } of host.registry.list('helper')) hbs.registerHelper(key, value);
  const templates = new Map(host.registry.list('template').map((c) => [c.key, c.value.file]));
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  const render = (name: string, data: unknown, csrf: string) => {
    let template = compiled.get(name);
    if (!template) {
      const file = templates.get(name);
      if (!file) throw new Error(`admin page template "${name}" is not among the plugins' templates`);
      compiled.set(name, (template = hbs.compile(readFileSync(file, 'utf8'))));
    }
    return template({ data, csrf });
  };
  const menus = host.registry.list('adminMenu');
  for (const { owner, value: page } of host.registry.list('adminPage')) {
    const plugin = host.plugin(owner)!;
    const menu = menus.find((m) => m.owner === owner && m.value.page === page.path)?.value;
    registry.register({
      plugin: owner,
      path: page.path,
      title: page.title,
      permission: page.permission,
      menu: menu && { label: menu.label, section: menu.section, order: menu.order },
      async handle(req, principal) {
        const data = page.handler
          ? await page.handler(
              {
                params: {},
                query: req.query as Record<string, string | string[] | undefined>,
                actor: actorOf(principal),
                locale: 'en',
                method: req.method === 'POST' ? 'POST' : 'GET',
                body: req.method === 'POST' ? formFields(req.body) : {},
              },
              host.contextFor(plugin),
            )
          : {};
        return { html: render(page.template, data, csrfTokenFor(req) ?? ''), title: page.title };
      },
    });
  }
}

/** The admin plugins page's backend ({@link AdminPluginService}) over {@link PluginAdminService}. */
export function adminPluginService(host: PluginHost, dataSource: DataSource): AdminPluginService {
  const admin = PluginAdminService.forHost(host, dataSource);
  return {
    async list(): Promise<AdminPluginEntry[]> {
      const items = await (await admin).list();
      return items.map((i) => {
        const page = host.registry.list('adminPage').find((p) => p.owner === i.name);
        return {
          name: i.name,
          version: i.version,
          description: i.description,
          enabled: i.status === 'enabled',
          problems:
            i.status === 'enabled' && !i.running ? ['Enabled: restart Vitrine to load it.']
            : i.status !== 'enabled' && i.running ? ['Disabled: restart Vitrine to unload it.']
            : [],
          settingsUrl: page && i.running ? pluginPageUrl(i.name, page.value.path) : null,
        };
      });
    },
    async enable(name) {
      await (await admin).enable(name);
    },
    async disable(name) {
      await (await admin).disable(name);
    },
  };
}

/** A parsed urlencoded body as text fields (`_csrf` left out; anything else than text dropped). */
function formFields(body: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === '_csrf' || key === '__proto__') continue;
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[key] = value as string[];
  }
  return out;
}
