import type { PageView } from './theme-view.types.js';

/**
 * Template fallback, as in Ghost: the most specific template the theme has wins.
 *
 * | asked for        | tried in order                                  |
 * |------------------|-------------------------------------------------|
 * | `album-<slug>`   | `album-<slug>`, `album`, `index`                |
 * | `tag-<slug>`     | `tag-<slug>`, `tag`, `index`                    |
 * | `search`         | `search`, `index`                               |
 * | `error-<status>` | `error-<status>`, `error`, built-in error page  |
 * | `login`          | `login`, built-in login page                    |
 * | `share`          | `share`, built-in share page                    |
 * | `photo`, `index` | themselves (required templates)                 |
 * | `<plugin>/<name>` | itself (a plugin template)                      |
 * | anything else    | itself, `index`                                 |
 */

/** Pages Vitrine can render without the theme's own template (inside the theme's layout). */
export type BuiltinPage = 'error' | 'login' | 'share';

/** A template of the theme, or one of Vitrine's built-in page bodies. */
export type ResolvedTemplate = { kind: 'theme'; name: string } | { kind: 'builtin'; name: BuiltinPage };

const CHAINS: Record<string, (string | { builtin: BuiltinPage })[]> = {
  album: ['album', 'index'],
  tag: ['tag', 'index'],
  search: ['search', 'index'],
  error: ['error', { builtin: 'error' }],
  login: ['login', { builtin: 'login' }],
  share: ['share', { builtin: 'share' }],
  photo: ['photo'],
  index: ['index'],
};

/** Template names are lower-case words joined by `-` (slugs and statuses included). */
export const TEMPLATE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Plugin templates are namespaced by plugin: `film-roll/roll`. */
export const PLUGIN_TEMPLATE_NAME = /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9_-]*(?:\/[a-z0-9][a-z0-9_-]*)*$/;

/** The candidates for `name`, most specific first. */
export function templateCandidates(name: string): (string | { builtin: BuiltinPage })[] {
  if (PLUGIN_TEMPLATE_NAME.test(name)) return [name];
  if (!TEMPLATE_NAME.test(name)) return [];
  const dash = name.indexOf('-');
  const base = dash > 0 ? name.slice(0, dash) : name;
  const chain = Object.hasOwn(CHAINS, base) ? CHAINS[base]! : [base, 'index'];
  return dash > 0 ? [name, ...chain] : [...new Set([name, ...chain])];
}

/** Picks the first candidate the theme has (`available` holds template names without `.hbs`). */
export function resolveTemplate(name: string, available: ReadonlySet<string>): ResolvedTemplate | null {
  for (const candidate of templateCandidates(name)) {
    if (typeof candidate !== 'string') return { kind: 'builtin', name: candidate.builtin };
    if (available.has(candidate)) return { kind: 'theme', name: candidate };
  }
  return null;
}

/** The most specific template name for a page: `album-<slug>`, `tag-<slug>`, `error-<status>`... */
export function templateNameForPage(page: PageView): string {
  switch (page.context) {
    case 'album':
      return TEMPLATE_NAME.test(`album-${page.album.slug}`) ? `album-${page.album.slug}` : 'album';
    case 'tag':
      return TEMPLATE_NAME.test(`tag-${page.tag.slug}`) ? `tag-${page.tag.slug}` : 'tag';
    case 'error':
      return Number.isInteger(page.error.status) ? `error-${page.error.status}` : 'error';
    default:
      return page.context;
  }
}

/** The contexts `{{#is}}` sees for a page: its context, plus `home` or `paged`. */
export function pageContexts(page: PageView): string[] {
  const pagination =
    page.context === 'index'
      ? page.pagination
      : page.context === 'album'
        ? page.album.pagination
        : page.context === 'tag'
          ? page.tag.pagination
          : page.context === 'search'
            ? page.search.pagination
            : null;
  const paged = (pagination?.page ?? 1) > 1;
  const out: string[] = [page.context];
  if (paged) out.push('paged');
  else if (page.context === 'index') out.push('home');
  return out;
}
