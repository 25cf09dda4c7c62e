import type { EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import type { ActorRef, AlbumRef, MetadataValue, PhotoRef, PrivacyLevelValue } from '../hooks/hook-payloads.js';
import type { ImportItem } from './plugin-contributions.js';

/**
 * The services a plugin may use. They are narrow on purpose: they speak in the hook payload
 * shapes, enforce the same rules and permissions as the REST API (every call says on whose
 * behalf it acts), and survive core refactors. Plugins never get repositories of core tables or
 * the Nest container. Implementations live in the integration layer.
 */
export interface PluginServices {
  albums: AlbumsFacade;
  photos: PhotosFacade;
  metadata: MetadataFacade;
  access: AccessFacade;
  media: MediaFacade;
  jobs: JobsFacade;
  /** Repositories of this plugin's own entities only. */
  data: PluginDataFacade;
  /** This plugin's settings (e.g. from its own admin page). */
  settings: SettingsFacade;
}

/** The plugin's own settings, as an admin edits them. */
export interface SettingsFacade {
  /**
   * Validates `values` with the plugin's options schema (defaults filled in), stores them and
   * applies them at once: `ctx.options` returns the new settings from then on (contributions
   * made at start-up, such as routes, still need a restart). `as` needs `manage Plugin`.
   * @throws VitrineError `plugin.invalid_settings` (400) with one field per problem;
   *   `plugin.forbidden` (403)
   */
  update(values: unknown, as: ActorRef): Promise<void>;
}

/** A page of results with an opaque cursor for the next page (null at the end). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Albums, seen and changed as `as` may (guests see public albums only, and so on). */
export interface AlbumsFacade {
  /** The album, or null when it does not exist or `as` may not see it. */
  get(id: number, as: ActorRef): Promise<AlbumRef | null>;
  /** Visible children of an album (null: the top level), in their order. */
  children(parentId: number | null, as: ActorRef): Promise<AlbumRef[]>;
  /** Creates an album (needs the right to create it there). */
  create(input: { name: string; parentId?: number | null; description?: string }, as: ActorRef): Promise<AlbumRef>;
  /** Links an existing photo into an album. */
  addPhoto(albumId: number, photoId: number, as: ActorRef): Promise<void>;
}

/** Photos, seen and changed as `as` may. */
export interface PhotosFacade {
  get(id: number, as: ActorRef): Promise<PhotoRef | null>;
  /** Visible photos, newest first, optionally of one album (and its sub-albums when `recursive`). */
  list(query: { albumId?: number; recursive?: boolean; limit?: number; cursor?: string }, as: ActorRef): Promise<Page<PhotoRef>>;
  update(
    id: number,
    patch: { title?: string | null; description?: string | null; privacyLevel?: PrivacyLevelValue },
    as: ActorRef,
  ): Promise<PhotoRef>;
  /** Imports one item through the full pipeline (checks, hooks, derivatives) and returns the photo. */
  import(item: ImportItem, as: ActorRef): Promise<PhotoRef>;
  /**
   * Visible photos that have a location (newest first), optionally of one album (and its
   * sub-albums when `recursive`), at most `limit` (default 1000, at most 5000). The same
   * visibility as `list`: a photo `as` may not see never appears, nor do its coordinates. Core's
   * own pages show locations to signed-in users only; a plugin showing them to guests should
   * make that a setting.
   */
  locations(query: { albumId?: number; recursive?: boolean; limit?: number }, as: ActorRef): Promise<PhotoLocation[]>;
}

/** A photo and where it was taken (WGS 84 degrees). */
export interface PhotoLocation {
  photo: PhotoRef;
  latitude: number;
  longitude: number;
}

/** This plugin's metadata fields (its namespace only), validated against their declarations. */
export interface MetadataFacade {
  /** The plugin's values on a photo, by key. */
  get(photoId: number): Promise<Record<string, MetadataValue>>;
  /** The plugin's values on many photos, in one query. */
  getMany(photoIds: readonly number[]): Promise<Map<number, Record<string, MetadataValue>>>;
  /** Sets some of the plugin's values (null removes one); refuses unknown keys and bad values. */
  set(photoId: number, values: Record<string, MetadataValue>, as: ActorRef): Promise<void>;
}

/** Permission questions, answered by the same rules as everywhere else. */
export interface AccessFacade {
  /** CASL check on a subject type or a subject, e.g. `can(actor, 'update', 'Album')`. */
  can(actor: ActorRef, action: string, subject: string | { type: string; id: number }): Promise<boolean>;
  /** The ids among `photoIds` that `actor` may see, in one query. */
  visiblePhotoIds(actor: ActorRef, photoIds: readonly number[]): Promise<Set<number>>;
}

/** Files and URLs. */
export interface MediaFacade {
  /** URL of a photo at a named size (access-checked when served). */
  imageUrl(photoId: number, size: string): string;
  /** A folder this plugin may write to (created on demand), below the data directory. */
  privateDir(): Promise<string>;
}

/** The job queue, for this plugin's own job types. */
export interface JobsFacade {
  /** Enqueues a job of a type from `definePlugin({ jobs })`, by its short name. Returns the job id. */
  enqueue(name: string, payload: unknown, options?: { delaySeconds?: number; singletonKey?: string }): Promise<string>;
}

/** Access to the plugin's own tables (those of its `entities`). */
export interface PluginDataFacade {
  /** The repository of one of this plugin's entities; other entities are refused. */
  repository<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T>;
  /** Runs `work` in a transaction over this plugin's tables. */
  transaction<T>(work: (data: PluginDataFacade) => Promise<T>): Promise<T>;
}
