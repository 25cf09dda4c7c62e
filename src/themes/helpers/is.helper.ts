/**
 * `#is`: renders its block when the page is in one of the given contexts.
 *
 * ```hbs
 * {{#is "album"}}<link rel="alternate" ...>{{/is}}
 * {{#is "album, tag"}}...{{else}}...{{/is}}
 * {{#is "home"}}<h1>{{@site.title}}</h1>{{else}}<a href="{{url}}">{{@site.title}}</a>{{/is}}
 * ```
 *
 * Contexts: the page context (`index`, `album`, `photo`, `search`, `tag`, `share`, `login`,
 * `error`, `plugin`), plus `home` (first page of the index) and `paged` (page 2 and later of any list).
 * An unknown context name or a non-string argument renders nothing and logs a warning.
 */
import type { HelperFactory } from './helper.types.js';
import { splitArgs, warn } from './helper.support.js';

/** Every name `{{#is}}` accepts. */
export const PAGE_CONTEXTS = ['index', 'album', 'photo', 'search', 'tag', 'share', 'login', 'error', 'plugin', 'home', 'paged'] as const;

export const isHelper: HelperFactory = (env) =>
  function is(this: unknown, ...args: unknown[]) {
    const { params, options } = splitArgs(args);
    if (typeof options.fn !== 'function') return warn(env, options, 'is a block helper: {{#is "album"}}...{{/is}}');
    const names = params[0];
    if (typeof names !== 'string' || names.trim() === '') return warn(env, options, 'expects a context name such as "album"');
    const wanted = names.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = wanted.filter((n) => !(PAGE_CONTEXTS as readonly string[]).includes(n));
    if (unknown.length > 0) return warn(env, options, `unknown context ${unknown.map((n) => `"${n}"`).join(', ')} (use ${PAGE_CONTEXTS.join(', ')})`);
    const current = options.data?.vitrine?.contexts ?? [];
    return wanted.some((n) => current.includes(n)) ? options.fn(this) : options.inverse(this);
  };
