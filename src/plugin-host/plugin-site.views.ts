import { readFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { currentHookContext } from '../hooks/hook-context.js';
import type { HookRegistry } from '../hooks/hook.registry.js';
import type { AlbumView as HookAlbumView, MetadataValue, PhotoView as HookPhotoView, RenderContext } from '../hooks/hook-payloads.js';
import type { MetadataFieldContribution } from '../plugins/plugin-contributions.js';
import type { PluginRegistry } from '../plugins/plugin.registry.js';
import type { InjectionProvider, PluginHelper } from '../themes/theme.loader.js';
import type { AlbumPageView, PageView, PhotoPageView } from '../themes/theme-page.types.js';
import type { MetadataFieldCatalog } from './plugin-metadata.js';

/** What plugins add to every theme: helpers, partials, templates, and `{{head}}` / `{{foot}}`. */
export interface ThemeExtensions {
  helpers: Record<string, PluginHelper>;
  partials: Record<string, string>;
  templates: Record<string, string>;
  head?: InjectionProvider;
  foot?: InjectionProvider;
}

/** Reads the plugins' view files once (at start-up) and binds `site.head` / `site.foot`. */
export async function themeExtensions(registry: PluginRegistry, hooks: HookRegistry): Promise<ThemeExtensions> {
  const read = async (kind: 'template' | 'partial') =>
    Object.fromEntries(await Promise.all(registry.list(kind).map(async (c) => [c.key, await readFile(c.value.file, 'utf8')] as const)));
  const injection = (hook: 'site.head' | 'site.foot'): InjectionProvider | undefined =>
    hooks.subscriptions(hook).length === 0 ? undefined : (page) => hooks.applyFilter(hook, [], renderContext(page));
  return {
    helpers: Object.fromEntries(registry.list('helper').map((c) => [c.key, c.value])),
    partials: await read('partial'),
    templates: await read('template'),
    head: injection('site.head'),
    foot: injection('site.foot'),
  };
}

/** The hook context of a page being rendered. */
export function renderContext(page: PageView, theme = ''): RenderContext {
  return { ...currentHookContext(), page: page.context, url: page.meta?.canonicalUrl ?? page.site.baseUrl, theme };
}

/**
 * Runs `album.viewModel` and `photo.viewModel` on site pages. Plugins receive the stable hook
 * shapes (hook-payloads) built from the theme's view; what they add under `extensions` is copied
 * back. Public plugin metadata fields are exposed to themes as `photo.fields`.
 */
export class PluginSiteViews {
  constructor(
    private readonly hooks: HookRegistry,
    private readonly catalog: MetadataFieldCatalog,
    private readonly dataSource: DataSource,
  ) {}

  async photoPage(page: PhotoPageView): Promise<void> {
    const photo = page.photo;
    let fields: Record<string, MetadataValue> = {};
    if (this.catalog.all().some((f) => f.field.public)) {
      const rows: { plugin_data: Record<string, unknown> }[] = await this.dataSource.query(`SELECT plugin_data FROM photos WHERE id = $1`, [photo.id]);
      fields = this.catalog.flatten(rows[0]?.plugin_data, true);
      (photo as PhotoPageView['photo'] & { fields?: Record<string, MetadataValue> }).fields = fields;
      // The themes' details panel lists `metadata.extra`: public plugin fields with their labels.
      const extra = this.catalog
        .all()
        .filter(({ field }) => field.public && fields[field.key] !== undefined)
        .map(({ plugin, field }) => ({ key: `${plugin}.${field.key}`, label: field.label, value: displayValue(field, fields[field.key]!) }))
        .filter((item) => item.value !== '');
      if (photo.metadata) photo.metadata.extra = [...photo.metadata.extra, ...extra];
    }
    if (this.hooks.subscriptions('photo.viewModel').length === 0) return;
    const summary = (p: { url: string } | null, id = 0) => (p ? { id, title: null, url: p.url, width: null, height: null } : null);
    const view: HookPhotoView = {
      photo: { id: photo.id, title: photo.title, url: photo.url, width: photo.width, height: photo.height, description: photo.description, takenAt: photo.takenAt ? new Date(photo.takenAt) : null },
      album: photo.album ? { id: 0, name: photo.album.name, url: photo.album.url, photoCount: photo.position?.total ?? 0 } : null,
      previous: summary(photo.prev),
      next: summary(photo.next),
      metadata: { ...fields },
      extensions: { ...photo.extensions },
    };
    // hook: photo.viewModel
    const out = await this.hooks.applyFilter('photo.viewModel', view, renderContext(page));
    photo.extensions = { ...out.extensions };
  }

  async albumPage(page: AlbumPageView): Promise<void> {
    if (this.hooks.subscriptions('album.viewModel').length === 0) return;
    const a = page.album;
    const view: HookAlbumView = {
      album: { id: a.id, name: a.name, url: a.url, photoCount: a.counts?.photos ?? 0, description: a.description },
      ancestors: a.breadcrumbs.map((b) => ({ id: 0, name: b.name, url: b.url, photoCount: 0 })),
      children: a.albums.map((c) => ({ id: c.id, name: c.name, url: c.url, photoCount: 0 })),
      photos: a.photos.map((p) => ({ id: p.id, title: p.title, url: p.url, width: p.width, height: p.height })),
      extensions: { ...a.extensions },
    };
    // hook: album.viewModel
    const out = await this.hooks.applyFilter('album.viewModel', view, renderContext(page));
    a.extensions = { ...out.extensions };
  }
}

/** A field value as display text: the plugin's `format`, else plain text (a failing `format` falls back too). */
export function displayValue(field: MetadataFieldContribution, value: MetadataValue): string {
  if (field.format) {
    try {
      const text = field.format(value);
      if (typeof text === 'string') return text.slice(0, 500);
    } catch {
      // fall through to the plain rendering
    }
  }
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value).slice(0, 500);
}
