import type { Provider, Type } from '@nestjs/common';
import type { EntitySchema, MigrationInterface } from 'typeorm';
import type { ZodType } from 'zod';
import type { HookCatalogueEntry } from '../hooks/hook-catalogue.js';
import type { ActorRef, MetadataValue, PrivacyLevelValue, UserRole } from '../hooks/hook-payloads.js';
import type { PluginContext } from './plugin-context.js';

/** One file an importer offers. Core stores it exactly as an upload (same checks, same hooks). */
export interface ImportItem {
  /** Where the bytes are: a readable local file, or a function that opens a stream. */
  source: { kind: 'file'; path: string } | { kind: 'stream'; open(): Promise<NodeJS.ReadableStream> };
  /** File name to show; never used as a path. */
  originalName: string;
  /** Target album by id, or by a path of album names created as needed (`['2024', 'Rome']`). */
  album?: { id: number } | { path: readonly string[] };
  title?: string;
  description?: string;
  privacyLevel?: PrivacyLevelValue;
  /** Values for this plugin's metadata fields, by key. */
  metadata?: Record<string, MetadataValue>;
  /** The item's id at the source, so a re-run can skip what it already imported. */
  externalId?: string;
}

/** What an importer's `scan` receives besides its options. */
export interface ImporterRun<O = unknown> {
  /** The plugin's context (services act on behalf of `actor`). */
  ctx: PluginContext<O>;
  /** Who started the import. */
  actor: ActorRef;
  /** Aborted when the user cancels; stop yielding. */
  signal: AbortSignal;
}

/**
 * A source of photos (a folder, a cloud service, another gallery), listed in the import screen
 * and the `vitrine import` command.
 */
export interface ImporterContribution<O = unknown, IO = any> {
  /** Unique across all plugins, kebab-case, e.g. `flickr`. Core owns `upload`, `folder`, `ws`. */
  id: string;
  /** Shown in the admin, e.g. "Flickr album". */
  label: string;
  description?: string;
  /** The importer's own options (e.g. a folder path), validated before `scan` runs. */
  options?: ZodType<IO>;
  /** Yields the items to import, one at a time; core imports each as it comes. */
  scan(options: IO, run: ImporterRun<O>): AsyncIterable<ImportItem>;
}

/** Types a metadata field can have. */
export type MetadataFieldType = 'string' | 'number' | 'boolean' | 'date' | 'enum';

/**
 * A typed metadata field. Values are stored namespaced in the photo's JSONB column
 * (`{"<plugin>": {"<key>": value}}`), shown in the API and passed to themes under `key`.
 */
export interface MetadataFieldContribution {
  /** camelCase, unique across core and plugins, e.g. `filmStock`. */
  key: string;
  type: MetadataFieldType;
  /** Label in forms and on photo pages. */
  label: string;
  /** Allowed values when `type` is `enum`. */
  values?: readonly string[];
  /** Offered in search filters (ship an expression index in a migration if you expect many photos). */
  searchable?: boolean;
  /** Shown to visitors and in public API responses. Default false: only editors see it. */
  public?: boolean;
  /** Extra check after the type check; return a message to refuse the value. */
  validate?(value: MetadataValue): string | undefined;
  /**
   * Display text of a value on photo pages (themes' details panel), e.g. `52` → `52 mm`.
   * Default: the value as text (dates as ISO 8601, booleans as Yes/No). Themes escape it.
   */
  format?(value: MetadataValue): string;
}

/** A named derivative size, added to core's (see DESIGN §4). */
export interface ImageSizeContribution {
  /** Unique across core and plugins, e.g. `poster`. Core owns `square`, `thumb`, `medium`, ... */
  name: string;
  width: number;
  height: number;
  /** Crop to exactly width × height; default false (fit inside). */
  crop?: boolean;
  /** Build at import time; default false (on first request). */
  eager?: boolean;
}

/** A Handlebars helper; `this` is the template context. */
export type ViewHelper = (...args: any[]) => unknown;

/**
 * Templates, partials and helpers. Templates and partials are namespaced by folder:
 * `views/templates/roll.hbs` in plugin `film-roll` is `film-roll/roll` (`{{> film-roll/card}}`).
 * Helpers are namespaced with a colon, `film-roll:badge`, because Handlebars reads `/` in a
 * helper name as a path.
 */
export interface ViewsContribution {
  /** Folder of `.hbs` templates, relative to the plugin folder. */
  templates?: string;
  /** Folder of `.hbs` partials, relative to the plugin folder. */
  partials?: string;
  /** Helpers by short name; registered as `<plugin>:<name>`. */
  helpers?: Record<string, ViewHelper>;
}

/** The request a site route handler answers. */
export interface SiteRouteRequest {
  /** Path parameters, e.g. `{ slug: 'hp5' }` for `/films/:slug`. */
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  actor: ActorRef;
  locale: string;
}

/** A public page: core matches `path`, calls `handler`, renders `template` with the result. */
export interface SiteRouteContribution<O = unknown> {
  /** Express-style path, e.g. `/films/:slug`; unique across core and plugins. */
  path: string;
  /** `<plugin>/<template>` from this plugin's views, or a theme template name. */
  template: string;
  /** Builds the view model; return null for a 404. Use `ctx.services` (access-checked for `req.actor`). */
  handler(req: SiteRouteRequest, ctx: PluginContext<O>): unknown | Promise<unknown>;
}

/**
 * One parameter of a ws.php method, as Piwigo's `addMethod` describes them. A structural subset
 * of the ws.php engine's own `WsParamSpec` (src/piwigo), so core can register plugin methods as is.
 */
export interface WsParamSpec {
  /** Piwigo's `WS_TYPE_*`: `id` is ≥ 1, `int_positive` ≥ 0, `mixed` is an unchecked string (default). */
  type?: 'mixed' | 'bool' | 'int' | 'int_positive' | 'id' | 'float' | 'float_positive' | 'float_positive_notnull';
  /** Default value; a parameter without one is required unless `optional`. */
  default?: string | number | boolean | null | readonly (string | number | boolean)[];
  optional?: boolean;
  /** `accept`: a value or a list; `force`: always a list. */
  array?: 'accept' | 'force';
  /** Silent upper clamp for numbers (Piwigo's `maxValue`). */
  maxValue?: number;
  /** Allowed values. */
  enum?: readonly string[];
  info?: string;
}

/** A ws.php method (Piwigo's API), e.g. `filmRoll.getRolls`. */
export interface WsMethodContribution<O = unknown> {
  /** Unique across core and plugins; core owns `pwg.*` and `reflection.*`. */
  name: string;
  params: Record<string, WsParamSpec>;
  description?: string;
  /** Only admins may call it (Piwigo's `admin_only`). */
  adminOnly?: boolean;
  /** Only POST (Piwigo's `post_only`). */
  postOnly?: boolean;
  /** Left out of `reflection.getMethodList`. */
  hidden?: boolean;
  /** Returns the result (encoded by ws.php in the client's format); throw a `VitrineError` to fail. */
  handler(params: Record<string, unknown>, call: { actor: ActorRef; ctx: PluginContext<O> }): unknown | Promise<unknown>;
}

/** A CASL action on a subject, e.g. `{ action: 'approve', subject: 'FilmRoll' }`. */
export interface PermissionContribution {
  action: string;
  subject: string;
  description: string;
  /** Roles granted it on install (admins can change this later). Default: webmaster and admin. */
  defaultRoles?: readonly UserRole[];
}

/**
 * The request an admin page handler answers: a site request plus the method and, for POST, the
 * form fields (already CSRF-checked by the admin). A form on the page posts to the page itself
 * and carries `<input type="hidden" name="_csrf" value="{{csrf}}">` (`csrf` is in the template's context).
 */
export interface AdminPageRequest extends SiteRouteRequest {
  method?: 'GET' | 'POST';
  /** Form fields of a POST; empty for GET. */
  body?: Record<string, string | string[]>;
}

/** A server-rendered admin page at `/admin/plugins/<plugin>/<path>`. */
export interface AdminPageContribution<O = unknown> {
  /** Path below the plugin's admin root, e.g. `settings` or `` for the root. */
  path: string;
  title: string;
  /** `<plugin>/<template>` from this plugin's views. */
  template: string;
  /** Builds the view model (on GET, and on POST after handling the form). */
  handler?(req: AdminPageRequest, ctx: PluginContext<O>): unknown | Promise<unknown>;
  /** CASL permission needed; default: manage the plugin (admins). */
  permission?: { action: string; subject: string };
}

/** A static entry in the admin navigation. Use the `admin.menu` filter for dynamic ones. */
export interface AdminMenuContribution {
  label: string;
  /** Path of one of this plugin's admin pages. */
  page: string;
  /** Section, e.g. `photos`, `albums`, `plugins` (default), `settings`. */
  section?: string;
  order?: number;
}

/** A background job type, run by the job queue (pg-boss), registered as `<plugin>.<name>`. */
export interface JobContribution<O = unknown, P = any> {
  /** Short name; the queue name is `<plugin>.<name>`. */
  name: string;
  /** Validates payloads when a job is enqueued. */
  payload?: ZodType<P>;
  handler(payload: P, job: { id: string; ctx: PluginContext<O>; signal: AbortSignal }): Promise<void>;
  /** Attempts before the job is marked failed; default 3. */
  retries?: number;
}

/** A hook a plugin fires for other plugins; also add it to `HookMap` by declaration merging. */
export type HookDeclaration = HookCatalogueEntry;

/**
 * Everything a plugin can contribute. Each list is checked at start-up: names, ids and keys must
 * be unique across core and all enabled plugins, or Vitrine refuses to start and names both sides.
 */
export interface PluginContributions<O = unknown> {
  /** Hooks this plugin fires, named `<plugin>.<event>`. */
  declaresHooks?: readonly HookDeclaration[];
  importers?: readonly ImporterContribution<O>[];
  metadataFields?: readonly MetadataFieldContribution[];
  imageSizes?: readonly ImageSizeContribution[];
  views?: ViewsContribution;
  routes?: readonly SiteRouteContribution<O>[];
  /** Nest controllers, mounted under `/api/v1/plugins/<plugin>`. */
  controllers?: readonly Type<unknown>[];
  /** Nest providers for those controllers; inject `PLUGIN_CONTEXT` to reach the plugin context. */
  providers?: readonly Provider[];
  wsMethods?: readonly WsMethodContribution<O>[];
  permissions?: readonly PermissionContribution[];
  adminPages?: readonly AdminPageContribution<O>[];
  adminMenu?: readonly AdminMenuContribution[];
  /** TypeORM entities; tables must be named `plugin_<name>_*` (hyphens become underscores). */
  entities?: readonly (Type<unknown> | EntitySchema)[];
  /** TypeORM migrations for those tables, run on install and upgrade; class names must be unique. */
  migrations?: readonly Type<MigrationInterface>[];
  jobs?: readonly JobContribution<O>[];
}
