/**
 * URLs of the public site, in one place. Every function returns a root-relative URL already
 * prefixed with the site's base path (the path of `PUBLIC_URL`, e.g. `/gallery`).
 *
 * Scheme (stable ids first, slugs for people and search engines; a wrong slug redirects):
 * `/`, `/albums/12-paris`, `/photos/34?album=12`, `/tags/winter`, `/search?q=`, `/s/<token>`,
 * `/media/photos/34/<size>`, `/assets/<theme>/<path>`.
 */
export class SitePaths {
  /** The base path without trailing slash, '' at the root. */
  readonly base: string;

  constructor(
    /** Absolute public base URL without trailing slash. */
    readonly publicUrl: string,
  ) {
    let path = '';
    try {
      path = new URL(publicUrl).pathname.replace(/\/+$/, '');
    } catch {
      path = '';
    }
    this.base = path;
  }

  home(): string {
    return `${this.base}/`;
  }

  album(id: number, slug: string, query: Record<string, string | number | undefined> = {}): string {
    return `${this.base}/albums/${id}-${encodeURIComponent(slug)}${queryString(query)}`;
  }

  photo(id: number, albumId?: number | null): string {
    return `${this.base}/photos/${id}${albumId ? `?album=${albumId}` : ''}`;
  }

  tag(slug: string, query: Record<string, string | number | undefined> = {}): string {
    return `${this.base}/tags/${encodeURIComponent(slug)}${queryString(query)}`;
  }

  search(query: Record<string, string | number | undefined> = {}): string {
    return `${this.base}/search${queryString(query)}`;
  }

  share(token: string): string {
    return `${this.base}/s/${encodeURIComponent(token)}`;
  }

  media(photoId: number, size: string): string {
    return `${this.base}/media/photos/${photoId}/${encodeURIComponent(size)}`;
  }

  /** Turns a root-relative site URL into an absolute one (sitemaps, canonical links). */
  absolute(url: string): string {
    const origin = new URL(this.publicUrl).origin;
    return `${origin}${url}`;
  }
}

/** `?a=1&b=2` for the defined, non-empty values; '' when none. Page 1 is left out. */
export function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (key === 'page' && Number(value) === 1) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
