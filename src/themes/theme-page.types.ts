/**
 * The root objects page templates receive, one per page context. See `theme-view.types.ts` for the
 * rules that hold for every field.
 *
 * @packageDocumentation
 */
import type {
  AlbumCardView,
  AlbumView,
  ErrorView,
  ImageSizeView,
  PaginationView,
  PhotoCardView,
  PhotoView,
  SearchView,
  ShareView,
  SiteView,
  TagPageView,
} from './theme-view.types.js';

/** The login page. */
export interface LoginView {
  /** POST target. */
  action: string;
  /** Where to go after login (hidden field `returnTo`). */
  returnTo: string;
  /** Username to prefill after a failed attempt (raw text). */
  username: string;
  /** Error to show (raw text), or null. */
  error: string | null;
  /** Password reset page, or null when not offered. */
  resetUrl: string | null;
}

/** Page metadata for `<head>`; the `meta` helper fills gaps from the page itself. */
export interface MetaView {
  /** Page title without the site title, or null for the home page. */
  title: string | null;
  description: string | null;
  /** Absolute canonical URL, or null. */
  canonicalUrl: string | null;
  /** Share image (absolute URL), or null. */
  image: (ImageSizeView & { alt: string }) | null;
  /** Ask search engines not to index the page (private pages, shares, search). */
  noindex: boolean;
}

/** Names of the page contexts (used by `{{#is}}` and the template fallback). */
export type PageContext = 'index' | 'album' | 'photo' | 'search' | 'tag' | 'share' | 'login' | 'error' | 'plugin';

interface PageBase {
  site: SiteView;
  /** Head metadata, or null to let the `meta` helper derive it. */
  meta: MetaView | null;
}

/** Home page: the top-level albums and, optionally, recent photos. */
export interface IndexPageView extends PageBase {
  context: 'index';
  albums: AlbumCardView[];
  recent: PhotoCardView[];
  pagination: PaginationView | null;
}
/** Album page. */
export interface AlbumPageView extends PageBase {
  context: 'album';
  album: AlbumView;
}
/** Photo page. */
export interface PhotoPageView extends PageBase {
  context: 'photo';
  photo: PhotoView;
}
/** Search page. */
export interface SearchPageView extends PageBase {
  context: 'search';
  search: SearchView;
}
/** Tag page. */
export interface TagPageContextView extends PageBase {
  context: 'tag';
  tag: TagPageView;
}
/** Share link page. */
export interface SharePageView extends PageBase {
  context: 'share';
  share: ShareView;
}
/** Login page. */
export interface LoginPageView extends PageBase {
  context: 'login';
  login: LoginView;
}
/** Error page. */
export interface ErrorPageView extends PageBase {
  context: 'error';
  error: ErrorView;
}

/** A page of a plugin route, rendered with the plugin's template (`<plugin>/<name>`). */
export interface PluginPageView extends PageBase {
  context: 'plugin';
  /** Name of the plugin. */
  plugin: string;
  /** Page title (raw text), or null. */
  title: string | null;
  /** What the route handler returned. */
  data: unknown;
}

/** The root object a page template receives. `context` tells which one. */
export type PageView =
  | IndexPageView
  | AlbumPageView
  | PhotoPageView
  | SearchPageView
  | TagPageContextView
  | SharePageView
  | LoginPageView
  | ErrorPageView
  | PluginPageView;
