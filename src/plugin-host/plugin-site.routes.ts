import { Controller, Get, Module, Req, Res, UseFilters, UseInterceptors, type DynamicModule, type Type } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../access/policies.decorator.js';
import { SiteContextService } from '../site/site-context.service.js';
import { SiteErrorFilter } from '../site/site-error.filter.js';
import { SiteHeadersInterceptor } from '../site/site-headers.js';
import { SiteModule } from '../site/site.module.js';
import { siteNotFound } from '../site/site-not-found.js';
import type { PluginPageView } from '../themes/theme-page.types.js';
import type { SiteRouteContribution } from '../plugins/plugin-contributions.js';
import { actorOf } from './plugin-actor.js';
import type { PluginHost } from './plugin-host.js';

/** Name of a theme template that overrides a plugin's: `film-roll/roll` → `film-roll-roll`. */
export function themeOverrideName(template: string): string {
  return template.replace(/\//g, '-');
}

/**
 * Site routes of plugins (`definePlugin({ routes })`), as one Nest controller built at start-up:
 * each path calls the plugin's handler with the visitor as actor, then renders through the active
 * theme: the theme's `<plugin>-<name>.hbs` when it ships one, else the plugin's own template,
 * inside the theme's layout. A handler returning null is the site's 404 page; errors go through
 * the site's error pages. Plugin routes are public pages: handlers use access-checked services.
 */
export function pluginSiteModule(host: PluginHost): DynamicModule | undefined {
  const routes = host.registry.list('route');
  if (routes.length === 0) return undefined;

  class PluginSitePagesController {
    constructor(readonly contexts: SiteContextService) {}
  }
  const proto = PluginSitePagesController.prototype as unknown as Record<string, unknown>;
  routes.forEach(({ owner, value: route }, index) => {
    const key = `route${index}`;
    const plugin = host.plugin(owner)!;
    proto[key] = async function (this: PluginSitePagesController, req: Request, res: Response): Promise<void> {
      await renderRoute(this.contexts, host, plugin.name, route, req, res);
    };
    const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
    Req()(proto, key, 0);
    Res()(proto, key, 1);
    Get(route.path.replace(/^\//, ''))(proto, key, descriptor);
  });
  Reflect.defineMetadata('design:paramtypes', [SiteContextService], PluginSitePagesController);
  Public()(PluginSitePagesController);
  UseFilters(SiteErrorFilter)(PluginSitePagesController);
  UseInterceptors(SiteHeadersInterceptor)(PluginSitePagesController);
  Controller()(PluginSitePagesController);

  class PluginSiteModule {}
  Module({})(PluginSiteModule);
  return { module: PluginSiteModule, imports: [SiteModule], controllers: [PluginSitePagesController as Type<unknown>] };
}

async function renderRoute(contexts: SiteContextService, host: PluginHost, name: string, route: SiteRouteContribution, req: Request, res: Response): Promise<void> {
  const ctx = await contexts.forRequest(req);
  const params = Object.fromEntries(Object.entries(req.params ?? {}).map(([k, v]) => [k, String(v)]));
  const plugin = host.plugin(name)!;
  const data = await route.handler(
    { params, query: req.query as Record<string, string | string[] | undefined>, actor: actorOf(ctx.principal), locale: ctx.site.locale },
    host.contextFor(plugin),
  );
  if (data === null || data === undefined) throw siteNotFound();
  const title = typeof (data as { title?: unknown }).title === 'string' ? (data as { title: string }).title : null;
  const page: PluginPageView = {
    context: 'plugin',
    plugin: name,
    title,
    data,
    site: ctx.site,
    meta: { title, description: null, canonicalUrl: ctx.paths.absolute(req.path), image: null, noindex: false },
  };
  const override = themeOverrideName(route.template);
  const template = ctx.theme.templates.has(override) ? override : route.template;
  const html = await ctx.theme.render(template, page);
  // Same headers as core pages (site-response.ts sendPage).
  res.status(200).type('html');
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('Vary', 'Cookie');
  res.send(html);
}
