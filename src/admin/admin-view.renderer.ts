import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { findAdminUiDir } from './admin-ui.paths.js';

/** An admin asset: its bytes, content type and content hash (for `?v=` and the ETag). */
export interface AdminAsset {
  body: Buffer;
  type: string;
  hash: string;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Files served from the installed packages under `/admin/assets/vendor/<name>`. */
const VENDOR: Record<string, string> = { 'tus.min.js': 'tus-js-client/dist/tus.min.js' };

/**
 * Compiles the admin's own Handlebars templates once (not a theme: the admin looks the same
 * whatever theme the site uses) and renders pages inside `layout.hbs`. Every `{{value}}` is
 * escaped; no helper returns unescaped user data.
 */
export class AdminViewRenderer {
  private readonly hbs = Handlebars.create();
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();
  private readonly assets = new Map<string, AdminAsset>();

  constructor(private readonly uiDir: string = findAdminUiDir()) {
    registerHelpers(this.hbs, (name) => this.assetUrl(name));
    const views = join(uiDir, 'views');
    for (const file of readdirSync(join(views, 'partials'))) {
      if (file.endsWith('.hbs')) this.hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(views, 'partials', file), 'utf8'));
    }
    for (const file of readdirSync(views)) {
      if (file.endsWith('.hbs')) this.templates.set(basename(file, '.hbs'), this.hbs.compile(readFileSync(join(views, file), 'utf8'), { strict: false }));
    }
    for (const file of readdirSync(join(uiDir, 'assets'))) {
      const ext = file.slice(file.lastIndexOf('.'));
      if (TYPES[ext]) this.addAsset(file, readFileSync(join(uiDir, 'assets', file)), TYPES[ext]);
    }
  }

  /** Renders `view` with `context`, inside the layout unless `layout` is false. */
  render(view: string, context: Record<string, unknown>, layout = true): string {
    const template = this.templates.get(view);
    if (!template) throw new Error(`no admin template "${view}"`);
    const body = template(context);
    if (!layout) return body;
    return this.templates.get('layout')!({ ...context, body });
  }

  /** The asset named `name` (`admin.css`, `vendor/tus.min.js`), or null. */
  asset(name: string): AdminAsset | null {
    if (!this.assets.has(name) && name.startsWith('vendor/')) this.loadVendor(name.slice('vendor/'.length));
    return this.assets.get(name) ?? null;
  }

  /** `/admin/assets/<name>?v=<hash>` (long-cached, the hash changes with the content). */
  assetUrl(name: string): string {
    const asset = this.asset(name);
    return `/admin/assets/${name}${asset ? `?v=${asset.hash}` : ''}`;
  }

  private loadVendor(name: string): void {
    const path = VENDOR[name];
    if (!path) return;
    const file = join(this.uiDir, '..', '..', '..', 'node_modules', path);
    try {
      this.addAsset(`vendor/${name}`, readFileSync(file), TYPES['.js']!);
    } catch {
      try {
        this.addAsset(`vendor/${name}`, readFileSync(join(process.cwd(), 'node_modules', path)), TYPES['.js']!);
      } catch {
        /* not installed: the upload script falls back to plain multipart */
      }
    }
  }

  private addAsset(name: string, body: Buffer, type: string): void {
    this.assets.set(name, { body, type, hash: createHash('sha256').update(body).digest('hex').slice(0, 16) });
  }
}

const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** Helpers: comparisons, formatting and the asset URL. All return plain (escaped) text. */
function registerHelpers(hbs: typeof Handlebars, assetUrl: (name: string) => string): void {
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b || (a != null && b != null && String(a) === String(b)));
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  // Safe: the URL is built from our own asset names and a hex hash (escaping would turn `=` into `&#x3D;`).
  hbs.registerHelper('asset', (name: unknown) => new hbs.SafeString(typeof name === 'string' && /^[a-z0-9./-]+$/.test(name) ? assetUrl(name) : ''));
  hbs.registerHelper('date', (value: unknown) => {
    if (value === null || value === undefined || value === '') return '';
    const d = value instanceof Date ? value : new Date(value as string);
    return Number.isNaN(d.getTime()) ? '' : `${DATE.format(d)} UTC`;
  });
  hbs.registerHelper('isoDate', (value: unknown) => {
    const d = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
    return d && !Number.isNaN(d.getTime()) ? d.toISOString() : '';
  });
  hbs.registerHelper('bytes', (value: unknown) => formatBytes(Number(value ?? 0)));
  hbs.registerHelper('number', (value: unknown) => (typeof value === 'number' || typeof value === 'string' ? Number(value).toLocaleString('en-GB') : '0'));
  hbs.registerHelper('plural', (n: unknown, one: unknown, many: unknown) => `${Number(n).toLocaleString('en-GB')} ${Number(n) === 1 ? one : many}`);
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null));
}

/** `1536` → `1.5 KB` (powers of 1024). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
