/**
 * `foot`: the injection point for plugins at the end of `<body>`.
 *
 * ```hbs
 *   {{foot}}
 * </body>
 * ```
 *
 * Outputs the HTML that `site.foot` providers (plugins) returned for this page (scripts,
 * analytics, banners). That HTML comes from trusted code, which is responsible for escaping what
 * it includes. Put it once, just before `</body>`, in `default.hbs`.
 */
import Handlebars from 'handlebars';
import type { HelperFactory } from './helper.types.js';
import { splitArgs, warn } from './helper.support.js';

export const footHelper: HelperFactory = (env) =>
  function foot(this: unknown, ...args: unknown[]) {
    const { params, options } = splitArgs(args);
    if (params.length > 0) return warn(env, options, 'takes no arguments');
    return new Handlebars.SafeString(options.data?.vitrine?.foot ?? '');
  };
