import { All, Controller, Get, Inject, Optional, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Errors } from '../common/errors.js';
import { ADMIN_PLUGIN_SERVICE, AdminPageRegistry, type AdminPluginService } from './admin-extensions.js';
import { AdminErrorFilter } from './admin-error.filter.js';
import { AdminPageService } from './admin-page.service.js';
import { AdminPolicies } from './admin-policies.js';

const PLUGIN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * `/admin/plugins`: the plugins the plugin system reports (through {@link AdminPluginService}),
 * with enable/disable forms; and the admin pages plugins register
 * (`/admin/plugins/<plugin>/<path>`, GET and POST, inside the admin layout).
 */
@Controller('admin/plugins')
@UseFilters(AdminErrorFilter)
export class AdminPluginsController {
  constructor(
    private readonly pages: AdminPageService,
    private readonly registry: AdminPageRegistry,
    @Optional() @Inject(ADMIN_PLUGIN_SERVICE) private readonly plugins?: AdminPluginService,
  ) {}

  @Get()
  @AdminPolicies.plugins
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const plugins = this.plugins ? await this.plugins.list() : [];
    await this.pages.send(req, res, 'plugins', 'Plugins', { plugins, available: this.plugins !== undefined });
  }

  @Post(':name/enable')
  @AdminPolicies.plugins
  async enable(@Param('name') name: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.service().enable(checkName(name), this.pages.principal(req));
    this.pages.flash(req, 'success', `Plugin “${name}” enabled.`);
    await this.pages.redirect(res, '/admin/plugins');
  }

  @Post(':name/disable')
  @AdminPolicies.plugins
  async disable(@Param('name') name: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.service().disable(checkName(name), this.pages.principal(req));
    this.pages.flash(req, 'success', `Plugin “${name}” disabled.`);
    await this.pages.redirect(res, '/admin/plugins');
  }

  /** A plugin's own admin page. The route needs `read Plugin`; the page its own permission (default `manage Plugin`). */
  @All(':plugin{/*path}')
  @AdminPolicies.pluginPages
  async page(@Param('plugin') plugin: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') throw Errors.notFound('page', req.path);
    const raw = (req.params as Record<string, string | string[] | undefined>).path;
    const path = Array.isArray(raw) ? raw.join('/') : (raw ?? '');
    const page = PLUGIN.test(plugin) ? this.registry.find(plugin, path.replace(/\/+$/, '')) : null;
    if (!page) throw Errors.notFound('page', req.path);
    const perm = page.permission ?? { action: 'manage', subject: 'Plugin' };
    const ability = await this.pages.ability(req);
    if (!ability.can(perm.action as never, perm.subject as never)) throw Errors.forbidden('access.forbidden', 'You are not allowed to do this.');
    const result = await page.handle(req, this.pages.principal(req));
    if ('redirect' in result) return this.pages.redirect(res, result.redirect);
    await this.pages.send(req, res, 'plugin-page', result.title ?? page.title, { plugin, content: result.html });
  }

  private service(): AdminPluginService {
    if (!this.plugins) throw Errors.conflict('plugin.system_unavailable', 'No plugin system is installed in this server.');
    return this.plugins;
  }
}

function checkName(name: string): string {
  if (!PLUGIN.test(name)) throw Errors.notFound('plugin', name.slice(0, 60));
  return name;
}
