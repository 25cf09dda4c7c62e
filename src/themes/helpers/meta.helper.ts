/**
 * `meta`: the page's `<title>`, description, canonical link, robots, OpenGraph and Twitter card
 * tags, and JSON-LD for photo pages. Use it once in `<head>` of `default.hbs`.
 *
 * ```hbs
 * <head>
 *   <meta charset="utf-8">
 *   {{meta}}
 *   {{meta separator=" — "}}     {{!-- between page and site title; default " · " --}}
 * </head>
 * ```
 *
 * Fields come from the page's `meta` (set by the controller); what it leaves null is derived from
 * the page: album name and cover, photo title and image, tag name... Search, share, login and
 * error pages are `noindex`. Every value is escaped.
 */
import Handlebars from 'handlebars';
import type { ImageSizeView, MetaView, PageView } from '../theme-view.types.js';
import type { HelperEnv, HelperFactory } from './helper.types.js';
import { absoluteUrl, html, isRecord, siteOf, sizesOf, splitArgs, warn } from './helper.support.js';

type Derived = Omit<MetaView, 'image'> & { image: (ImageSizeView & { alt: string }) | null; type: 'website' | 'article' };

/** The rendition closest to 1200 px wide (OpenGraph's sweet spot), uncropped. */
function shareImage(photo: unknown, alt: string): Derived['image'] {
  const sizes = sizesOf(photo);
  if (!sizes) return null;
  const list = Object.values(sizes).filter((s) => !s.crop).sort((a, b) => a.width - b.width);
  const pick = list.find((s) => s.width >= 1200) ?? list[list.length - 1];
  return pick ? { ...pick, alt } : null;
}

function tr(env: HelperEnv, locale: string, key: string): string {
  const found = env.translate(locale, key);
  return found ? (typeof found.entry === 'string' ? found.entry : found.entry.other) : key;
}

function derive(env: HelperEnv, page: PageView): Derived {
  const site = page.site;
  const base: Derived = { title: null, description: site.description, canonicalUrl: null, image: null, noindex: false, type: 'website' };
  const t = (key: string) => tr(env, site.locale, key);
  switch (page.context) {
    case 'index': {
      const cover = page.albums.find((a) => a.cover)?.cover;
      return { ...base, image: cover ? shareImage(cover, cover.alt) : null };
    }
    case 'album':
      return {
        ...base,
        title: page.album.name,
        description: page.album.description ?? base.description,
        image: page.album.cover ? shareImage(page.album.cover, page.album.cover.alt) : null,
      };
    case 'photo':
      return {
        ...base,
        type: 'article',
        title: page.photo.title ?? page.photo.alt,
        description: page.photo.description ?? base.description,
        image: shareImage(page.photo, page.photo.alt),
      };
    case 'tag':
      return { ...base, title: page.tag.name, image: page.tag.photos[0] ? shareImage(page.tag.photos[0], page.tag.photos[0].alt) : null };
    case 'search':
      return { ...base, title: page.search.query ? `${t('Search')}: ${page.search.query}` : t('Search'), noindex: true };
    case 'share': {
      const cover = page.share.locked ? null : page.share.album?.cover;
      return { ...base, title: page.share.title, description: page.share.message, image: cover ? shareImage(cover, cover.alt) : null, noindex: true };
    }
    case 'login':
      return { ...base, title: t('Log in'), noindex: true };
    case 'error':
      return { ...base, title: t(page.error.title), description: null, noindex: true };
    case 'plugin':
      return { ...base, title: page.title };
  }
}

function summary(text: string | null, max = 200): string | null {
  if (!text) return null;
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat || null;
  const cut = flat.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max * 0.6))}…`;
}

/** JSON for a `<script>` element: `<`, `>`, `&`, `'` and line separators escaped. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&'\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function jsonLd(page: PageView, imageUrl: string | null): string {
  if (page.context !== 'photo' || !imageUrl) return '';
  const p = page.photo;
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'ImageObject',
    name: p.title ?? p.alt,
    contentUrl: imageUrl,
    width: p.width,
    height: p.height,
  };
  if (p.description) data.description = p.description;
  if (p.metadata.takenAt) data.dateCreated = p.metadata.takenAt;
  if (p.metadata.author) data.creator = { '@type': 'Person', name: p.metadata.author };
  if (p.metadata.copyright) data.copyrightNotice = p.metadata.copyright;
  return `<script type="application/ld+json">${scriptJson(data)}</script>`;
}

export const metaHelper: HelperFactory = (env) =>
  function meta(this: unknown, ...args: unknown[]) {
    const { options } = splitArgs(args);
    const page = options.data?.root as PageView | undefined;
    const site = siteOf(options);
    if (!page || !site || !isRecord(page) || typeof page.context !== 'string') return warn(env, options, 'needs a page to describe');
    const separator = options.hash.separator ?? ' · ';
    if (typeof separator !== 'string') return warn(env, options, 'separator= must be a string');
    const d = derive(env, page);
    const m = page.meta;
    const title = m?.title ?? d.title;
    const description = summary(m?.description ?? d.description);
    const image = m?.image ?? d.image;
    const imageUrl = image ? absoluteUrl(image.url, site) : null;
    const canonical = m?.canonicalUrl ?? d.canonicalUrl;
    const noindex = (m?.noindex ?? false) || d.noindex;
    const fullTitle = title ? `${title}${separator}${site.title}` : site.title;
    const ogTitle = title ?? site.title;
    const lines: string[] = [html`<title>${fullTitle}</title>`];
    if (description) lines.push(html`<meta name="description" content="${description}">`);
    if (canonical) lines.push(html`<link rel="canonical" href="${canonical}">`);
    if (noindex) lines.push('<meta name="robots" content="noindex">');
    lines.push(html`<meta property="og:site_name" content="${site.title}">`);
    lines.push(html`<meta property="og:type" content="${d.type}">`);
    lines.push(html`<meta property="og:title" content="${ogTitle}">`);
    if (description) lines.push(html`<meta property="og:description" content="${description}">`);
    if (canonical) lines.push(html`<meta property="og:url" content="${canonical}">`);
    if (image && imageUrl) {
      lines.push(html`<meta property="og:image" content="${imageUrl}">`);
      lines.push(html`<meta property="og:image:width" content="${image.width}">`);
      lines.push(html`<meta property="og:image:height" content="${image.height}">`);
      lines.push(html`<meta property="og:image:alt" content="${image.alt}">`);
    }
    lines.push(html`<meta name="twitter:card" content="${imageUrl ? 'summary_large_image' : 'summary'}">`);
    lines.push(html`<meta name="twitter:title" content="${ogTitle}">`);
    if (description) lines.push(html`<meta name="twitter:description" content="${description}">`);
    if (image && imageUrl) {
      lines.push(html`<meta name="twitter:image" content="${imageUrl}">`);
      lines.push(html`<meta name="twitter:image:alt" content="${image.alt}">`);
    }
    const ld = noindex ? '' : jsonLd(page, imageUrl);
    if (ld) lines.push(ld);
    return new Handlebars.SafeString(lines.join('\n    '));
  };

