/**
 * `img_url`: the URL of one rendition of a photo.
 *
 * ```hbs
 * <img src="{{img_url photo "medium"}}" alt="{{photo.alt}}">
 * <img src="{{img_url album.cover "small"}}" alt="">
 * <meta property="og:image" content="{{img_url photo "large" absolute=true}}">
 * ```
 *
 * The first argument is anything with `sizes` (a photo, a cover) or a size map; the second is a
 * size name (core sizes such as `thumb`, `medium`, `xxlarge`, or one the theme declares in
 * `config.image_sizes`). Renders nothing and logs a warning when the photo or size is missing.
 */
import type { HelperFactory } from './helper.types.js';
import { absoluteUrl, siteOf, sizesOf, splitArgs, warn } from './helper.support.js';

export const imgUrlHelper: HelperFactory = (env) =>
  function img_url(this: unknown, ...args: unknown[]) {
    const { params, options } = splitArgs(args);
    const [photo, size] = params;
    const sizes = sizesOf(photo);
    if (!sizes) return warn(env, options, 'expects a photo (or a size map) as first argument');
    if (typeof size !== 'string' || size === '') return warn(env, options, 'expects a size name as second argument');
    const rendition = Object.hasOwn(sizes, size) ? sizes[size] : undefined;
    if (!rendition) return warn(env, options, `unknown size "${size}" (available: ${Object.keys(sizes).join(', ')})`);
    if (options.hash.absolute === true) {
      return absoluteUrl(rendition.url, siteOf(options)) ?? warn(env, options, 'cannot build an absolute URL without a site');
    }
    return rendition.url;
  };
