/**
 * The view models every theme template receives. This file is the contract between the site
 * controllers (which fill these objects) and themes (which only read them).
 *
 * Rules that hold for every field:
 * - **User-provided text arrives raw** (titles, names, descriptions, tags, EXIF strings). Templates
 *   escape it by printing with `{{ }}`; never use `{{{ }}}` on these fields.
 * - **URLs are ready to use**: root-relative and already prefixed with the site's base path
 *   (e.g. `/gallery/album/12-paris`), except where a field says "absolute".
 * - **Dates** are ISO 8601 strings; format them with the `date` helper.
 * - **Access is already decided**: everything a theme receives may be shown to the current visitor.
 *   Themes never filter for permissions.
 * - Optional data is `null`, never missing, so `{{#if}}` works the same everywhere.
 *
 * @packageDocumentation
 */
import type { PhotoLinkView, PhotoMetadataView } from './photo-metadata.types.js';

/** A value of one theme setting (see `config.custom` in the theme's package.json). */
export type ThemeSettingValue = string | number | boolean;

/** One rendition of an image. */
export interface ImageSizeView {
  /** URL of this rendition. */
  url: string;
  /** Real pixel width of this rendition (after fitting into the size box). */
  width: number;
  /** Real pixel height of this rendition. */
  height: number;
  /** True when the rendition is cropped to its box (e.g. `square`); `img_srcset` skips these. */
  crop?: boolean;
}

/** Renditions of one photo by size name (`thumb`, `medium`, `xxlarge`, theme sizes ...). */
export type ImageSizesView = Record<string, ImageSizeView>;

/** A logged-in visitor. Absent (`null`) for guests. */
export interface SiteUserView {
  /** Display name (raw text). */
  name: string;
  /** Whether the visitor may open the administration. */
  isAdmin: boolean;
}

/** A link in the main navigation. */
export interface NavItemView {
  /** Label (raw text; may be translated with `t`). */
  label: string;
  url: string;
  /** True when this item is the current page or one of its ancestors. */
  current: boolean;
}

/** Well-known site URLs. */
export interface SiteUrlsView {
  /** The home page. */
  home: string;
  /** Search page (GET form target, query parameter `q`). */
  search: string;
  /** Tag cloud / list of tags, or null when tags are not public. */
  tags: string | null;
  /** Login page. */
  login: string;
  /** Logout endpoint: POST with `_csrf`. */
  logout: string;
  /** Administration, or null when the visitor may not open it. */
  admin: string | null;
}

/** The site, identical on every page. Also available as `@site` inside any block. */
export interface SiteView {
  /** Site title (raw text). */
  title: string;
  /** Short description / tagline (raw text), or null. */
  description: string | null;
  /** BCP 47 language tag of the page, e.g. `en`, `fr-FR`. Used by `t` and `date`. */
  locale: string;
  /** Absolute public base URL without trailing slash, e.g. `https://photos.example.com/gallery`. */
  baseUrl: string;
  /** The visitor, or null for guests. */
  user: SiteUserView | null;
  /** Main navigation (usually the top-level albums and static pages). */
  nav: NavItemView[];
  /** Token for POST forms: put it in a hidden `_csrf` field. */
  csrfToken: string;
  /**
   * Stored values of the active theme's custom settings. Templates read the effective values
   * (stored value or declared default) through `@custom.<key>`.
   */
  settings: Record<string, ThemeSettingValue>;
  urls: SiteUrlsView;
}

/** One crumb of a breadcrumb trail (ancestors, top first, excluding the current page). */
export interface BreadcrumbView {
  /** Name (raw text). */
  name: string;
  url: string;
}

/** Photo, album and sub-album counts of an album. */
export interface AlbumCountsView {
  /** Photos directly in the album. */
  photos: number;
  /** Photos in the album and all its visible descendants. */
  totalPhotos: number;
  /** Direct visible sub-albums. */
  albums: number;
}

/** A photo in a grid, a card or a cover. */
export interface PhotoCardView {
  id: number;
  /** Title (raw text), or null when the photo has none. */
  title: string | null;
  /**
   * Text alternative for `<img alt>`: the title, else the description, else a neutral label such
   * as "Photo 12". Never a file name, never empty.
   */
  alt: string;
  /** Photo page URL (in the album or share being browsed). */
  url: string;
  /** Pixel width of the original after orientation. */
  width: number;
  /** Pixel height of the original after orientation. */
  height: number;
  sizes: ImageSizesView;
  /** Tiny blurred preview as a `data:image/...;base64,` URI (server-generated), or null. */
  blur: string | null;
  /** When the photo was taken (ISO 8601), or null. */
  takenAt: string | null;
}

/** An album shown as a card (top albums, sub-albums, search results). */
export interface AlbumCardView {
  id: number;
  /** Name (raw text). */
  name: string;
  slug: string;
  /** Description (raw text, may contain line breaks), or null. */
  description: string | null;
  url: string;
  /** The representative photo, or null for an empty album. */
  cover: PhotoCardView | null;
  counts: AlbumCountsView;
}

/** One entry of a sort `<select>`; submit as GET parameter `sort`. */
export interface SortOptionView {
  /** Value of the `sort` parameter, e.g. `taken-desc`. */
  value: string;
  /** English label; translate with `{{t label}}`. */
  label: string;
  /** URL of the current page sorted this way (for link-based sort menus). */
  url: string;
  selected: boolean;
}

/** A page number or a gap (`…`) in a pagination bar. */
export type PaginationItemView =
  | { kind: 'page'; number: number; url: string; current: boolean }
  | { kind: 'gap' };

/** Pagination of a list. Build it with `buildPaginationView`. */
export interface PaginationView {
  /** Current page, 1-based. */
  page: number;
  /** Number of pages (at least 1). */
  pages: number;
  /** Total number of items. */
  total: number;
  perPage: number;
  prevUrl: string | null;
  nextUrl: string | null;
  /** A window of page links around the current page, with gaps. */
  items: PaginationItemView[];
}

/** An album page. */
export interface AlbumView {
  id: number;
  /** Name (raw text). */
  name: string;
  slug: string;
  /** Description (raw text, may contain line breaks), or null. */
  description: string | null;
  url: string;
  /** Ancestors, top first; the current album is not included. */
  breadcrumbs: BreadcrumbView[];
  /** Representative photo, or null. */
  cover: PhotoCardView | null;
  counts: AlbumCountsView;
  /** Visible sub-albums. */
  albums: AlbumCardView[];
  /** Photos of the current page. */
  photos: PhotoCardView[];
  /** Pagination of `photos`, or null when everything fits on one page. */
  pagination: PaginationView | null;
  /** Sort choices; empty when sorting is not offered. */
  sortOptions: SortOptionView[];
  /** Dates spanned by the photos (ISO 8601), or null. */
  dateRange: { from: string; to: string } | null;
  /** Data added by plugins through the `album.viewModel` filter, under their plugin name. */
  extensions: Record<string, unknown>;
}

/** A tag. */
export interface TagView {
  id: number;
  /** Name (raw text). */
  name: string;
  slug: string;
  url: string;
  /** Number of visible photos with this tag, or null when not counted. */
  count: number | null;
}

/** A photo page. */
export interface PhotoView extends PhotoCardView {
  /** Description (raw text, may contain line breaks), or null. */
  description: string | null;
  /** Album being browsed (for the "back" link), or null. */
  album: BreadcrumbView | null;
  /** Ancestors of the photo page, top first (albums), excluding the photo itself. */
  breadcrumbs: BreadcrumbView[];
  /** 1-based position in the album being browsed and its size, or null. */
  position: { index: number; total: number } | null;
  metadata: PhotoMetadataView;
  tags: TagView[];
  prev: PhotoLinkView | null;
  next: PhotoLinkView | null;
  /** URL of the original file, or null when downloading is not allowed. */
  downloadUrl: string | null;
  /** Data added by plugins through the `photo.viewModel` filter, under their plugin name. */
  extensions: Record<string, unknown>;
}

/** A tag page: the tag and its photos. */
export interface TagPageView extends TagView {
  photos: PhotoCardView[];
  pagination: PaginationView | null;
  sortOptions: SortOptionView[];
}

/** The search page. */
export interface SearchView {
  /** The query as typed (raw text); empty before searching. */
  query: string;
  /** GET form target; the query parameter is `q`. */
  action: string;
  /** Matching albums. */
  albums: AlbumCardView[];
  /** Matching tags. */
  tags: TagView[];
  /** Matching photos, current page. */
  photos: PhotoCardView[];
  /** Total matching photos. */
  total: number;
  pagination: PaginationView | null;
}

/** A share link page (`/s/<token>`). */
export interface ShareView {
  /** Title given by the owner (raw text). */
  title: string;
  /** Message for the recipient (raw text), or null. */
  message: string | null;
  /** True while the password has not been given: show `passwordForm`, nothing else. */
  locked: boolean;
  /** POST target and last error of the password form; null when the link has no password. */
  passwordForm: { action: string; error: string | null } | null;
  /** Expiry (ISO 8601), or null. */
  expiresAt: string | null;
  /** Shared content once unlocked (a real album or a selection shaped as one), else null. */
  album: AlbumView | null;
  /** Zip of everything shared, or null when downloads are not allowed. */
  downloadAllUrl: string | null;
}

/** An error page. */
export interface ErrorView {
  /** HTTP status, e.g. 404. */
  status: number;
  /** Short title, e.g. "Page not found" (English; translate with `t`). */
  title: string;
  /** One sentence for the visitor (raw text). Never a stack trace. */
  message: string;
}

export type * from './photo-metadata.types.js';
export type * from './theme-page.types.js';
