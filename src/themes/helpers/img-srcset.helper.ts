/**
 * `img_srcset`: a `srcset` value listing the renditions of a photo by width.
 *
 * ```hbs
 * <img src="{{img_url photo "medium"}}" srcset="{{img_srcset photo}}" sizes="(min-width: 60em) 50vw, 100vw"
 *      width="{{photo.width}}" height="{{photo.height}}" alt="{{photo.alt}}">
 * <img srcset="{{img_srcset photo sizes="small,medium,large"}}" ...>
 * <img srcset="{{img_srcset photo max=1600}}" ...>
 * ```
 *
 * Cropped renditions (such as `square`) are left out, since their shape differs from the photo's.
 * `sizes="a,b"` keeps only the named renditions; `max=` drops renditions wider than that.
 * One entry per width, narrowest first. Renders nothing and warns when the photo has no usable sizes.
 */
import type { HelperFactory } from './helper.types.js';
import { sizesOf, splitArgs, warn } from './helper.support.js';

export const imgSrcsetHelper: HelperFactory = (env) =>
  function img_srcset(this: unknown, ...args: unknown[]) {
    const { params, options } = splitArgs(args);
    const sizes = sizesOf(params[0]);
    if (!sizes) return warn(env, options, 'expects a photo (or a size map) as first argument');
    const only: unknown = options.hash.sizes;
    if (only !== undefined && typeof only !== 'string') return warn(env, options, 'sizes= must be a comma-separated list');
    const max: unknown = options.hash.max;
    if (max !== undefined && (typeof max !== 'number' || max <= 0)) return warn(env, options, 'max= must be a positive number');
    const names = only ? only.split(',').map((s) => s.trim()).filter(Boolean) : Object.keys(sizes);
    const unknown = names.filter((n) => !Object.hasOwn(sizes, n));
    if (unknown.length > 0) warn(env, options, `unknown size(s) ${unknown.map((n) => `"${n}"`).join(', ')} ignored`);
    const byWidth = new Map<number, string>();
    for (const name of names) {
      const r = Object.hasOwn(sizes, name) ? sizes[name] : undefined;
      if (!r || (r.crop && !only) || (max !== undefined && r.width > max)) continue;
      if (!byWidth.has(r.width)) byWidth.set(r.width, r.url);
    }
    if (byWidth.size === 0) return warn(env, options, 'no rendition left to list');
    return [...byWidth.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([w, url]) => `${url.replace(/[\s,]/g, encodeURIComponent)} ${w}w`)
      .join(', ');
  };
