/**
 * `url`: the URL of an object, or of a site path with the site's base path prepended.
 *
 * ```hbs
 * <a href="{{url album}}">{{album.name}}</a>          {{!-- album.url --}}
 * <a href="{{url "/tags"}}">Tags</a>                  {{!-- /gallery/tags on a /gallery install --}}
 * {{#foreach album.photos}}<a href="{{url}}">…</a>{{/foreach}}   {{!-- this.url (the photo) --}}
 * <a href="{{url}}">Home</a>                          {{!-- outside objects with a url: home --}}
 * <link rel="canonical" href="{{url photo absolute=true}}">
 * ```
 *
 * Objects must carry a `url`; view-model URLs already include the base path, so they are used as
 * they are. Strings must be site paths starting with `/`, or http(s) URLs (kept as they are).
 * `absolute=true` makes the result absolute. Anything else (`javascript:`, `//host`, numbers)
 * renders nothing and logs a warning.
 */
import type { HelperFactory } from './helper.types.js';
import { absoluteUrl, basePathOf, isRecord, isSafeUrl, siteOf, splitArgs, warn } from './helper.support.js';

export const urlHelper: HelperFactory = (env) =>
  function url(this: unknown, ...args: unknown[]) {
    const { params, options } = splitArgs(args);
    const site = siteOf(options);
    // Like Ghost: a bare {{url}} is the current object's URL (inside loops), else the home page.
    const own = isRecord(this) && isSafeUrl(this.url) ? this : undefined;
    const target = params.length === 0 ? (own ?? site?.urls.home) : params[0];
    let href: string;
    if (isRecord(target)) {
      if (!isSafeUrl(target.url)) return warn(env, options, 'the object has no usable url');
      href = target.url;
    } else if (typeof target === 'string') {
      if (!isSafeUrl(target)) return warn(env, options, `"${target}" is neither a site path (/...) nor an http(s) URL`);
      href = target.startsWith('/') && params.length > 0 ? `${basePathOf(site)}${target}` : target;
    } else {
      return warn(env, options, 'expects an object with a url, or a path');
    }
    if (options.hash.absolute === true) {
      return absoluteUrl(href, site) ?? warn(env, options, 'cannot build an absolute URL without a site');
    }
    return href;
  };
