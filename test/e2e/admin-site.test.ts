import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShareLinkService } from '../../src/access/share-link.service.js';
import { ADMIN_PLUGIN_SERVICE, AdminPageRegistry, type AdminPluginService } from '../../src/admin/admin-extensions.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { HookRegistry } from '../../src/hooks/hook.registry.js';
import { ThemeService } from '../../src/site/theme.service.js';
import { followFlash, startAdminApp, type AdminSession, type AdminTestApp } from './admin-support.js';

describe('admin: share links, themes, plugins, audit log, settings', () => {
  let a: AdminTestApp;
  let admin: AdminSession;
  let editor: AdminSession;
  let member: AdminSession;
  let albumId: number;
  beforeAll(async () => {
    a = await startAdminApp();
    admin = await a.login('ada', 'admin');
    editor = await a.login('eddie', 'editor');
    member = await a.login('mia', 'member');
    albumId = (await a.t.app.get(AlbumService).create({ name: 'Smith wedding', status: 'private' })).id;
  });
  afterAll(() => a?.close());

  it('checks the policy of every page: guests redirected, members 403, editors only on content pages', async () => {
    const adminOnly = ['/admin/themes', '/admin/themes/portfolio', '/admin/plugins', '/admin/audit', '/admin/settings'];
    for (const path of ['/admin/shares', ...adminOnly]) {
      expect((await a.get(path).expect(303)).headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
      await a.get(path, member).expect(403);
    }
    await a.get('/admin/shares', editor).expect(200);
    for (const path of adminOnly) await a.get(path, editor).expect(403);
    await a.post('/admin/themes/activate', editor, { name: 'portfolio' }).expect(403);
    await a.post('/admin/settings', editor, { title: 'x', description: '', locale: '' }).expect(403);
    await a.post('/admin/shares', member, { albumId: String(albumId) }).expect(403);
    expect(await a.t.app.get(ThemeService).activeName()).toBe('default');
  });

  it('creates a password-protected share link shown once with a copy button; the link opens after the password; revoke closes it', async () => {
    const links = a.t.app.get(ShareLinkService);
    await a.post('/admin/shares', editor, { albumId: String(albumId), password: 'letmein' }, { csrf: false }).expect(403);
    const res = await a.post('/admin/shares', editor, { albumId: String(albumId), label: 'Smiths <3', password: 'letmein', expires: '2099-12-31', includeSubalbums: 'on', allowDownload: 'on' });
    expect(res.status).toBe(303);
    const page = await a.get(res.headers.location as string, editor).expect(200);
    const url = /id="flash-secret" class="input" readonly value="([^"]+)"/.exec(page.text)![1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{43}$/);
    expect(page.text).toContain('data-copy="#flash-secret"');
    expect(page.text).toContain('Smiths &lt;3');
    const [link] = await links.list({ albumId });
    expect(link).toMatchObject({ label: 'Smiths <3', hasPassword: true, allowDownload: true, includeSubalbums: true });
    expect(link!.expiresAt!.toISOString()).toBe('2099-12-31T23:59:59.999Z');
    // The URL is shown once: the next page no longer has it.
    expect((await a.get('/admin/shares', editor)).text).not.toContain(url);
    const path = new URL(url).pathname;
    const locked = await request(a.server).get(path).expect(200);
    expect(locked.text).toMatch(/type="password"/);
    await request(a.server).post(path).type('form').send({ password: 'letmein' }).expect(303);

    const past = await a.post('/admin/shares', editor, { albumId: String(albumId), expires: '2001-01-01' });
    expect(await followFlash(a, editor, past)).toBe('error: The expiry date must be in the future.');
    const bogus = await a.post('/admin/shares', editor, { albumId: String(albumId), expires: '2099-02-31' });
    expect(await followFlash(a, editor, bogus)).toBe('error: The expiry date is not a real date.');

    await a.post(`/admin/shares/${link!.id}/revoke`, editor).expect(303);
    expect((await links.get(link!.id)).revokedAt).not.toBeNull();
    expect((await request(a.server).get(path)).status).toBe(404);
    expect((await a.get('/admin/shares', editor)).text).toMatch(/badge--danger">revoked/);
  });

  it('lists both bundled themes as clean, switches to portfolio and back, and refuses unknown themes', async () => {
    const themes = a.t.app.get(ThemeService);
    const page = await a.get('/admin/themes', admin).expect(200);
    expect(page.text).toMatch(/data-theme="default"[\s\S]*Live/);
    expect(page.text).toContain('data-theme="portfolio"');
    expect(page.text).not.toContain('badge--danger');
    await a.post('/admin/themes/activate', admin, { name: 'portfolio' }, { csrf: false }).expect(403);
    const res = await a.post('/admin/themes/activate', admin, { name: 'portfolio' });
    expect(await followFlash(a, admin, res)).toBe('success: Theme “portfolio” is now live.');
    expect(await themes.activeName()).toBe('portfolio');
    expect((await request(a.server).get('/').expect(200)).text).toContain('/assets/portfolio/');
    await a.post('/admin/themes/activate', admin, { name: 'default' }).expect(303);
    expect(await themes.activeName()).toBe('default');
    const unknown = await a.post('/admin/themes/activate', admin, { name: 'nope' });
    expect(await followFlash(a, admin, unknown)).toBe('error: There is no theme named &quot;nope&quot;.');
    await a.get('/admin/themes/nope', admin).expect(404);
  });

  it('edits theme settings with validation and renders a live preview with unsaved values, escaped', async () => {
    const themes = a.t.app.get(ThemeService);
    const form = await a.get('/admin/themes/portfolio', admin).expect(200);
    expect(form.text).toContain('name="about"');
    const src = /<iframe class="preview"[^>]+src="([^"]+)"/.exec(form.text)![1]!.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    expect(src).toMatch(/^\/admin\/themes\/portfolio\/preview\?scheme=dark&accent_color=%23d9a45b/);
    const bad = await a.post('/admin/themes/portfolio', admin, { scheme: 'neon', accent_color: 'red', about: '', contact_email: '', instagram: '' });
    expect(await followFlash(a, admin, bad)).toMatch(/^error: The settings are not valid: scheme: .*accent_color:/);
    expect(await themes.storedSettings('portfolio')).toEqual({});
    await a.post('/admin/themes/portfolio', admin, { scheme: 'light', accent_color: '#112233', about: 'Hi <b>there</b>', contact_email: 'me@example.com', instagram: '', show_metadata: 'on' }).expect(303);
    expect(await themes.storedSettings('portfolio')).toEqual({ scheme: 'light', accent_color: '#112233', about: 'Hi <b>there</b>', contact_email: 'me@example.com', instagram: '', show_metadata: true });

    const preview = await a.get('/admin/themes/portfolio/preview?scheme=dark&about=Preview+%3Cscript%3Ex%3C%2Fscript%3E&accent_color=%23abcdef', admin).expect(200);
    expect(preview.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(preview.text).toContain('class="scheme-dark"');
    expect(preview.text).toContain('Preview &lt;script&gt;x&lt;/script&gt;');
    expect(preview.text).toContain('/admin/themes/portfolio/assets/');
    expect(await themes.storedSettings('portfolio')).toMatchObject({ scheme: 'light' });
    const css = /\/admin\/themes\/portfolio\/assets\/([^"?]+\.css)/.exec(preview.text)![1]!;
    expect((await a.get(`/admin/themes/portfolio/assets/${css}`, admin).expect(200)).headers['content-type']).toMatch(/text\/css/);
    await a.get('/admin/themes/portfolio/assets/..%2Fpackage.json', admin).expect(404);
  });

  it('plugins page: lists the plugin system’s plugins and enables/disables them; plugin admin pages and admin.menu entries appear in the layout', async () => {
    const service = a.t.app.get<AdminPluginService>(ADMIN_PLUGIN_SERVICE);
    const listed = await service.list();
    expect(listed.length).toBeGreaterThan(0);
    const page = await a.get('/admin/plugins', admin).expect(200);
    for (const p of listed) expect(page.text).toContain(`data-plugin="${p.name}"`);
    const target = listed.find((p) => !p.enabled && p.problems.length === 0)!;
    await a.post(`/admin/plugins/${target.name}/enable`, admin, {}, { csrf: false }).expect(403);
    await a.post(`/admin/plugins/${target.name}/enable`, editor).expect(403);
    expect((await service.list()).find((p) => p.name === target.name)!.enabled).toBe(false);
    const on = await a.post(`/admin/plugins/${target.name}/enable`, admin);
    expect(await followFlash(a, admin, on)).toBe(`success: Plugin “${target.name}” enabled.`);
    expect((await service.list()).find((p) => p.name === target.name)!.enabled).toBe(true);
    await a.post(`/admin/plugins/${target.name}/disable`, admin).expect(303);
    expect((await service.list()).find((p) => p.name === target.name)!.enabled).toBe(false);
    const unknown = await a.post('/admin/plugins/no-such-plugin/enable', admin);
    expect(await followFlash(a, admin, unknown)).toMatch(/^error: /);

    const off = a.t.app.get(AdminPageRegistry).register({
      plugin: 'film-roll',
      path: 'settings',
      title: 'Film roll',
      menu: { label: 'Film roll' },
      handle: async (req) => (req.method === 'POST' ? { redirect: '/admin/plugins/film-roll/settings' } : { html: '<p class="film">Rolls: 3</p>' }),
    });
    const hooks = a.t.app.get(HookRegistry);
    const unsubscribe = hooks.on('admin.menu', (items) => [...items, { id: 'x.evil', label: 'Evil', href: 'https://evil.example/', section: 'plugins', order: 1 }, { id: 'x.help', label: 'Help desk', href: '/admin/plugins/film-roll/settings', section: 'support', order: 1 }], { plugin: 'x' });
    try {
      const own = await a.get('/admin/plugins/film-roll/settings', admin).expect(200);
      expect(own.text).toContain('<p class="film">Rolls: 3</p>');
      expect(own.text).toMatch(/<a href="\/admin\/plugins\/film-roll\/settings" aria-current="page">Film roll<\/a>/);
      expect(own.text).toContain('Help desk');
      expect(own.text).not.toContain('evil.example');
      await a.post('/admin/plugins/film-roll/settings', admin).expect(303);
      await a.post('/admin/plugins/film-roll/settings', admin, {}, { csrf: false }).expect(403);
      await a.get('/admin/plugins/film-roll/settings', editor).expect(403);
      await a.get('/admin/plugins/film-roll/other', admin).expect(404);
    } finally {
      off();
      unsubscribe();
    }
    await a.get('/admin/plugins/film-roll/settings', admin).expect(404);
  });

  it('shows the audit log with filters and paging', async () => {
    const all = await a.get('/admin/audit', admin).expect(200);
    expect(all.text).toContain('<code>admin_themes.activate</code>');
    expect(all.text).toContain('<code>auth.login</code>');
    const onlyShares = await a.get('/admin/audit?action=admin_shares.', admin).expect(200);
    expect(onlyShares.text).toContain('admin_shares.create');
    expect(onlyShares.text).not.toContain('<code>auth.login</code>');
    expect(onlyShares.text).not.toContain('letmein');
    const byEditor = await a.get(`/admin/audit?actor=${editor.userId}`, admin).expect(200);
    expect(byEditor.text).not.toContain('admin_themes.activate');
    expect(byEditor.text).toContain('admin_shares.create');
    const future = await a.get('/admin/audit?from=2099-01-01', admin).expect(200);
    expect(future.text).toContain('No entries match.');
    await a.get('/admin/audit?action=%27%3B', admin).expect(400);
  });

  it('saves site settings that the public site then uses', async () => {
    await a.post('/admin/settings', admin, { title: 'Jane Doe Photography', description: 'Weddings & portraits', locale: 'fr' }).expect(303);
    const page = await a.get('/admin/settings', admin).expect(200);
    expect(page.text).toContain('value="Jane Doe Photography"');
    const home = await request(a.server).get('/').expect(200);
    expect(home.text).toContain('Jane Doe Photography');
    expect(home.text).toContain('lang="fr"');
    const bad = await a.post('/admin/settings', admin, { title: '', description: '', locale: 'not a locale!' });
    expect(await followFlash(a, admin, bad)).toMatch(/^error: The form is not valid/);
    expect((await request(a.server).get('/')).text).toContain('Jane Doe Photography');
  });
});
