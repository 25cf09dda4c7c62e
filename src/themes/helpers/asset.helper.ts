/**
 * `asset`: the URL of a file in the theme's `assets/` folder, fingerprinted with a hash of its
 * content so it can be cached forever and still change on every theme update.
 *
 * ```hbs
 * <link rel="stylesheet" href="{{asset "css/site.css"}}">
 * <script src="{{asset "js/site.js"}}" defer></script>
 * ```
 *
 * Output: `<base path>/assets/<theme>/<path>?v=<content hash>`. Renders nothing and warns when
 * the path is not a string, leaves `assets/` (`..`, absolute paths) or names no file.
 */
import type { HelperFactory } from './helper.types.js';
import { basePathOf, siteOf, splitArgs, warn } from './helper.support.js';

/** Whether `path` is a plain relative path that stays inside its folder. */
export function isSafeAssetPath(path: unknown): path is string {
  return (
    typeof path === 'string' &&
    path.length > 0 &&
    path.length <= 300 &&
    !path.startsWith('/') &&
    !/[\\\0?#]/.test(path) &&
    path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..')
  );
}

export const assetHelper: HelperFactory = (env) =>
  function asset(this: unknown, ...args: unknown[]) {
    const { params, options } = splitArgs(args);
    const path = params[0];
    if (!isSafeAssetPath(path)) return warn(env, options, 'expects a relative path inside assets/, e.g. "css/site.css"');
    const hash = env.assetHash(path);
    if (hash === null) return warn(env, options, `no such file assets/${path}`);
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    return `${basePathOf(siteOf(options))}/assets/${encodeURIComponent(env.theme)}/${encoded}?v=${hash}`;
  };
