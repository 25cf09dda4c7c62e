/**
 * `head`: the injection point for plugins at the end of `<head>`.
 *
 * ```hbs
 * <head>
 *   ...
 *   {{head}}
 * </head>
 * ```
 *
 * Outputs the HTML that `site.head` providers (plugins) returned for this page. That HTML comes
 * from trusted code, which is responsible for escaping what it includes. Put it once, last in
 * `<head>`, in `default.hbs`.
 */
import Handlebars from 'handlebars';
import type { HelperFactory } from './helper.types.js';
import { splitArgs, warn } from './helper.support.js';

export const headHelper: HelperFactory = (env) =>
  function head(this: unknown, ...args: unknown[]) {
    const { params, options } = splitArgs(args);
    if (params.length > 0) return warn(env, options, 'takes no arguments');
    return new Handlebars.SafeString(options.data?.vitrine?.head ?? '');
  };
