/**
 * The payload types that hooks pass to plugins.
 *
 * These are deliberately small, plain shapes defined here rather than the TypeORM entities:
 * entities change with every refactor, a hook contract must not. Core maps its entities onto
 * these shapes before it fires a hook. Add fields freely (that is not a breaking change for
 * handlers); renaming or removing one is, and needs a new major version of the hook contract.
 *
 * @packageDocumentation
 */

/** Roles in decreasing order of power; Piwigo's statuses map onto these. */
export type UserRole = 'webmaster' | 'admin' | 'editor' | 'contributor' | 'member' | 'guest';

/** Piwigo's privacy levels: 0 everybody, 1 contacts, 2 friends, 4 family, 8 admins. */
export type PrivacyLevelValue = 0 | 1 | 2 | 4 | 8;

/** Who is acting. `userId` is null for guests, share-link visitors and system work. */
export interface ActorRef {
  readonly userId: number | null;
  readonly username: string | null;
  readonly role: UserRole;
  /** How the actor reached us. */
  readonly via: 'session' | 'apiKey' | 'shareLink' | 'ws' | 'cli' | 'job' | 'system';
}

/** The context every hook receives last: who acts and which request this belongs to. */
export interface HookContext {
  readonly actor: ActorRef;
  /** Correlates log lines of one request or job; absent for system work. */
  readonly requestId?: string;
  /** BCP 47 language tag chosen for this request, e.g. `fr-FR`. */
  readonly locale?: string;
}

/** The context of a page being rendered (public site or admin). */
export interface RenderContext extends HookContext {
  /** Which page template is rendering, e.g. `album`, `photo`, `index`, `admin`. */
  readonly page: string;
  /** Absolute URL of the page. */
  readonly url: string;
  /** Name of the active theme. */
  readonly theme: string;
}

/** A photo as hooks see it: identity and the fields every plugin may rely on. */
export interface PhotoRef {
  readonly id: number;
  readonly title: string | null;
  readonly description: string | null;
  /** The uploader's file name, for display only; never a path. */
  readonly originalName: string;
  readonly mimeType: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly fileSize: number | null;
  readonly sha256: string | null;
  readonly takenAt: Date | null;
  readonly privacyLevel: PrivacyLevelValue;
  /** The album that owns the file (a photo may be linked into more albums). */
  readonly storageAlbumId: number | null;
}

/** An album as hooks see it. */
export interface AlbumRef {
  readonly id: number;
  readonly parentId: number | null;
  readonly name: string;
  readonly slug: string;
  readonly description: string | null;
  readonly status: 'public' | 'private';
  readonly visible: boolean;
}

/** A user as hooks see it (never a password hash or an email address). */
export interface UserRef {
  readonly id: number;
  readonly username: string;
  readonly role: UserRole;
}

/** A share link as hooks see it (never the token). */
export interface ShareLinkRef {
  readonly id: number;
  readonly albumId: number | null;
  readonly label: string | null;
  readonly expiresAt: Date | null;
}

/** The uploaded or imported file, while it still sits in a temporary place. Read it, don't move it. */
export interface SourceFileRef {
  /** Absolute path of the temporary file. */
  readonly path: string;
  readonly originalName: string;
  /** Type sniffed from the content, not the one the client claimed. */
  readonly mimeType: string;
  readonly size: number;
  readonly sha256: string;
}

/** What is about to be imported: `photo.beforeImport` may change it or reject it. */
export interface ImportCandidate {
  readonly file: SourceFileRef;
  /** Where it comes from: `upload`, `ws`, `folder`, or a plugin importer id. */
  readonly source: string;
  /** Album to store the photo in; a filter may redirect it. */
  albumId: number | null;
  title: string | null;
  privacyLevel: PrivacyLevelValue;
}

/** A value a metadata field may hold. */
export type MetadataValue = string | number | boolean | Date | null;

/** Metadata extracted from a file (EXIF, IPTC, XMP), before it is written. */
export interface PhotoMetadata {
  takenAt: Date | null;
  author: string | null;
  copyright: string | null;
  title: string | null;
  description: string | null;
  cameraMake: string | null;
  cameraModel: string | null;
  lens: string | null;
  latitude: number | null;
  longitude: number | null;
  keywords: string[];
  /** Plugin fields, namespaced by plugin name: `{ "film-roll": { "stock": "HP5" } }`. */
  plugins: Record<string, Record<string, MetadataValue>>;
  /**
   * What the extractor read but core does not map to a column, by source (`ifd0`, `exif`, `iptc`,
   * `xmp.<namespace>`), with exifr's tag names and raw values (numbers, not labels); sanitised
   * and bounded, never GPS. Read it instead of parsing the file again. Absent when the caller had
   * no extracted metadata (then a plugin may read `file.path` itself).
   */
  readonly raw?: Readonly<Record<string, unknown>>;
}

/** Which fields of a photo or album changed, with values before and after. */
export type ChangeSet = Readonly<Record<string, { readonly before: unknown; readonly after: unknown }>>;

/** One named derivative size (Piwigo's `square`, `thumb`, `medium`, ...). */
export interface ImageSizeSpec {
  readonly width: number;
  readonly height: number;
  /** Crop to exactly width × height (square thumbnails) instead of fitting inside. */
  readonly crop: boolean;
  /** Build at import time rather than on first request. */
  readonly eager: boolean;
  /** Known (URLs resolve) but not offered, like Piwigo's 3xlarge; default true. Same shape as src/media's spec. */
  readonly enabled?: boolean;
}

/** A request for a derivative, as the `image.variant` filter sees it (already visibility-checked). */
export interface ImageVariantRequest {
  readonly photoId: number;
  /** Size name, e.g. `medium`. */
  readonly size: string;
  readonly format: 'jpeg' | 'webp' | 'avif';
  /** Whether the requester has the `download` right (may get the original, so never needs a protected variant). */
  readonly canDownload: boolean;
  readonly actor: ActorRef;
}

/**
 * A variant of a derivative. Core builds it once from the clean derivative and caches it under
 * `key`, next to the clean file, so visitors who get the variant and visitors who get the clean
 * image never share a cached file or an ETag.
 */
export interface ImageVariant {
  /**
   * Cache key, `[a-z0-9][a-z0-9.-]{0,63}`; it must change whenever the output would (include a hash of
   * your settings). A second plugin wrapping a variant joins the keys, e.g. `wm-1a2b.frame-9f`.
   */
  readonly key: string;
  /** Turns the clean derivative (encoded in `request.format`) into the variant's bytes, same format. */
  transform(input: Buffer, request: ImageVariantRequest): Promise<Buffer>;
}

/** A short form of an album for lists and breadcrumbs in view models. */
export interface AlbumSummary {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  readonly photoCount: number;
}

/** A short form of a photo for grids in view models. */
export interface PhotoSummary {
  readonly id: number;
  readonly title: string | null;
  readonly url: string;
  readonly width: number | null;
  readonly height: number | null;
}

/** What the `album` template receives. Plugins add their data under `extensions.<plugin>`. */
export interface AlbumView {
  album: AlbumSummary & { description: string | null };
  ancestors: AlbumSummary[];
  children: AlbumSummary[];
  photos: PhotoSummary[];
  extensions: Record<string, unknown>;
}

/** What the `photo` template receives. Plugins add their data under `extensions.<plugin>`. */
export interface PhotoView {
  photo: PhotoSummary & { description: string | null; takenAt: Date | null };
  album: AlbumSummary | null;
  previous: PhotoSummary | null;
  next: PhotoSummary | null;
  /** Public metadata, core and plugin fields, keyed by public field key. */
  metadata: Record<string, MetadataValue>;
  extensions: Record<string, unknown>;
}

/**
 * Something injected into `<head>` or before `</body>`. Structured items are escaped by the
 * renderer; only `html` is written as is, so prefer the structured kinds.
 */
export type PageInjection =
  | { readonly kind: 'meta'; readonly name?: string; readonly property?: string; readonly content: string }
  | { readonly kind: 'link'; readonly rel: string; readonly href: string; readonly type?: string }
  | { readonly kind: 'script'; readonly src: string; readonly defer?: boolean; readonly module?: boolean }
  | { readonly kind: 'stylesheet'; readonly href: string }
  | { readonly kind: 'html'; readonly html: string };

/** An entry of the admin navigation. */
export interface AdminMenuItem {
  /** Stable id, e.g. `film-roll.settings`. */
  readonly id: string;
  readonly label: string;
  readonly href: string;
  /** Section the entry sits in, e.g. `photos`, `albums`, `plugins`, `settings`. */
  readonly section: string;
  /** Lower first. */
  readonly order: number;
}
