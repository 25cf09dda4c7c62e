/**
 * Turns a display name into a URL segment: lower-case ASCII letters, digits and single hyphens.
 * Accents are folded (é → e); names with nothing usable fall back to `fallback`.
 */
export function slugify(name: string, fallback = 'item', maxLength = 80): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
  return slug || fallback;
}

/** Whether `slug` is a valid explicit slug (the same alphabet {@link slugify} produces). */
export function isValidSlug(slug: string): boolean {
  return slug.length <= 120 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug);
}
