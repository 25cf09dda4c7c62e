/**
 * The path to go to after login: `next` when it is a same-site relative path (`/albums/3?x=1`),
 * else `/`. Refuses absolute and protocol-relative URLs (`//evil`, `/\evil`), control characters,
 * backslashes and anything that would resolve to another origin.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return '/';
  try {
    const base = 'http://vitrine.invalid';
    const url = new URL(next, base);
    if (url.origin !== base) return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}
