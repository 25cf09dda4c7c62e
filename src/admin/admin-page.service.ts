import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AbilityFactory, type AppAbility } from '../access/ability.factory.js';
import type { AccessRequest } from '../access/policies.guard.js';
import { GUEST, type Principal } from '../access/principal.js';
import { csrfTokenFor } from '../auth/csrf.js';
import { HookRegistry } from '../hooks/hook.registry.js';
import type { AdminMenuItem } from '../hooks/hook-payloads.js';
import { AdminPageRegistry, pluginPageUrl } from './admin-extensions.js';
import { coreMenu, groupMenu } from './admin-menu.js';
import { AdminViewRenderer } from './admin-view.renderer.js';

/** A one-shot message shown on the next admin page (kept in the session). */
export interface AdminFlash {
  kind: 'success' | 'error';
  message: string;
  /** A secret shown once (a new share link's URL). */
  secret?: string;
}

declare module 'express-session' {
  interface SessionData {
    adminFlash?: AdminFlash;
  }
}

/** Content-Security-Policy of admin pages: own scripts and styles only, no inline code. */
export const ADMIN_CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/** Sets the headers of every admin HTML answer. */
export function applyAdminHeaders(res: Response, csp = ADMIN_CSP): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

export const ADMIN_RENDERER = Symbol('ADMIN_RENDERER');

/**
 * Renders admin pages: the layout (navigation filtered by the visitor's rights, then the
 * `admin.menu` filter), the CSRF token every form carries, and the flash message.
 */
@Injectable()
export class AdminPageService {
  constructor(
    @Inject(ADMIN_RENDERER) readonly renderer: AdminViewRenderer,
    private readonly abilities: AbilityFactory,
    private readonly extensions: AdminPageRegistry,
    @Optional() private readonly hooks?: HookRegistry,
  ) {}

  principal(req: Request): Principal {
    return (req as AccessRequest).principal ?? GUEST;
  }

  async ability(req: Request): Promise<AppAbility> {
    const r = req as AccessRequest;
    return (r.ability ??= await this.abilities.forPrincipal(this.principal(req)));
  }

  /** Queues a message for the next page. */
  flash(req: Request, kind: AdminFlash['kind'], message: string, secret?: string): void {
    if (req.session) req.session.adminFlash = secret === undefined ? { kind, message } : { kind, message, secret };
  }

  /** Renders `view` inside the layout and sends it. */
  async send(req: Request, res: Response, view: string, title: string, data: Record<string, unknown> = {}, status = 200): Promise<void> {
    const html = await this.html(req, view, title, data);
    applyAdminHeaders(res);
    res.status(status).type('html').send(html);
  }

  /** The page as a string (also used by the error filter). */
  async html(req: Request, view: string, title: string, data: Record<string, unknown> = {}): Promise<string> {
    const principal = this.principal(req);
    const flash = req.session?.adminFlash ?? null;
    if (req.session?.adminFlash) delete req.session.adminFlash;
    const menu = principal.kind === 'user' ? await this.menu(req) : [];
    return this.renderer.render(view, {
      ...data,
      title,
      csrf: csrfTokenFor(req) ?? '',
      user: principal.kind === 'user' ? { name: principal.username, role: principal.role } : null,
      menu,
      flash,
      path: req.path,
    });
  }

  /**
   * 303 to a local admin path (never another origin). The session (holding the flash) is saved
   * first: express-session would otherwise send the redirect's headers before its save finishes,
   * and a fast browser could load the next page without the message.
   */
  redirect(res: Response, path: string): Promise<void> {
    const target = path.startsWith('/admin') && !path.startsWith('//') ? path : '/admin';
    const session = (res.req as Request | undefined)?.session;
    return new Promise((resolve) => {
      const send = () => {
        res.redirect(303, target);
        resolve();
      };
      if (session) session.save(send);
      else send();
    });
  }

  private async menu(req: Request) {
    const ability = await this.ability(req);
    const items: AdminMenuItem[] = coreMenu(ability);
    for (const page of this.extensions.list()) {
      if (!page.menu) continue;
      const perm = page.permission ?? { action: 'manage', subject: 'Plugin' };
      if (!ability.can(perm.action as never, perm.subject as never)) continue;
      items.push({ id: `${page.plugin}.${page.path || 'index'}`, label: page.menu.label, href: pluginPageUrl(page.plugin, page.path), section: page.menu.section ?? 'plugins', order: page.menu.order ?? 100 });
    }
    let filtered = items;
    if (this.hooks?.has('admin.menu')) {
      const principal = this.principal(req);
      const actor = principal.kind === 'user'
        ? { userId: principal.userId, username: principal.username, role: principal.role, via: 'session' as const }
        : { userId: null, username: null, role: 'guest' as const, via: 'session' as const };
      // hook: admin.menu (filter) — plugins add, remove or reorder navigation entries.
      filtered = await this.hooks.applyFilter('admin.menu', items, { actor, page: 'admin', url: req.originalUrl, theme: '' });
    }
    return groupMenu(filtered, req.path);
  }
}
