import type {
  AdminMenuItem,
  AlbumRef,
  AlbumView,
  ChangeSet,
  HookContext,
  ImageSizeSpec,
  ImageVariant,
  ImageVariantRequest,
  ImportCandidate,
  PageInjection,
  PhotoMetadata,
  PhotoRef,
  PhotoView,
  RenderContext,
  ShareLinkRef,
  SourceFileRef,
  UserRef,
} from './hook-payloads.js';

/**
 * When a hook runs, which decides what its errors do:
 * - `inTransaction`: part of the operation. Handlers run inside the caller's transaction (or
 *   before anything is written); a handler may veto with {@link HookRejection}; any error
 *   propagates and the operation is rolled back.
 * - `afterCommit`: the data is committed (or, for rendering, already read). A failing handler is
 *   logged with its plugin's name and skipped; the request succeeds.
 */
export type HookPhase = 'inTransaction' | 'afterCommit';

/** An action notifies and returns nothing; a filter takes a value and returns one of the same type. */
export type HookKind = 'action' | 'filter';

/** The shape every entry of {@link HookMap} has. */
export interface HookSpec {
  kind: HookKind;
  /** Extra arguments after the value (filters) or all arguments (actions). */
  args: readonly unknown[];
  /** The value a filter passes through its handlers. Absent on actions. */
  value?: unknown;
  phase: HookPhase;
  /** Core (or plugin) version that introduced the hook, e.g. `'0.1.0'`. */
  since: string;
}

/**
 * The hooks core fires. Do not extend this one: plugins extend {@link HookMap}. Every key must have
 * an entry in `HOOK_CATALOGUE` (a type test enforces it both ways).
 */
export interface CoreHookMap {
  /** Before a file becomes a photo: change the candidate, or throw `HookRejection` to refuse it. */
  'photo.beforeImport': { kind: 'filter'; value: ImportCandidate; args: [ctx: HookContext]; phase: 'inTransaction'; since: '0.1.0' };
  /** Metadata extracted from the file, before it is stored: correct it or add plugin fields. */
  'photo.metadata': { kind: 'filter'; value: PhotoMetadata; args: [file: SourceFileRef, ctx: HookContext]; phase: 'inTransaction'; since: '0.1.0' };
  'photo.imported': { kind: 'action'; args: [photo: PhotoRef, ctx: HookContext]; phase: 'afterCommit'; since: '0.1.0' };
  'photo.updated': { kind: 'action'; args: [photo: PhotoRef, changes: ChangeSet, ctx: HookContext]; phase: 'afterCommit'; since: '0.1.0' };
  /** `photo` is a snapshot taken before the row was removed. */
  'photo.deleted': { kind: 'action'; args: [photo: PhotoRef, ctx: HookContext]; phase: 'afterCommit'; since: '0.1.0' };
  'album.created': { kind: 'action'; args: [album: AlbumRef, ctx: HookContext]; phase: 'afterCommit'; since: '0.1.0' };
  'album.updated': { kind: 'action'; args: [album: AlbumRef, changes: ChangeSet, ctx: HookContext]; phase: 'afterCommit'; since: '0.1.0' };
  'album.moved': { kind: 'action'; args: [album: AlbumRef, move: { fromParentId: number | null; toParentId: number | null }, ctx: HookContext]; phase: 'afterCommit'; since: '0.1.0' };
  /** `album` is a snapshot of the deleted subtree's root. */
  'album.deleted': { kind: 'action'; args: [album: AlbumRef, removed: { albumIds: readonly number[]; photoIds: readonly number[] }, ctx: HookContext]; phase: 'afterCommit'; since: '0.1.0' };
  'album.viewModel': { kind: 'filter'; value: AlbumView; args: [ctx: RenderContext]; phase: 'afterCommit'; since: '0.1.0' };
  'photo.viewModel': { kind: 'filter'; value: PhotoView; args: [ctx: RenderContext]; phase: 'afterCommit'; since: '0.1.0' };
  /** The named derivative sizes, read once at start-up: add, change or disable sizes. */
  'image.sizes': { kind: 'filter'; value: Record<string, ImageSizeSpec>; args: []; phase: 'inTransaction'; since: '0.1.0' };
  /**
   * Which variant of a derivative a request gets: `null` (the clean image) or a variant with a
   * cache key and a transform of the clean bytes, e.g. a watermark for visitors without the
   * download right. Runs on every derivative request; a failing handler fails the request (no
   * clean image slips out).
   */
  'image.variant': { kind: 'filter'; value: ImageVariant | null; args: [request: ImageVariantRequest]; phase: 'inTransaction'; since: '0.1.0' };
  'user.loggedIn': { kind: 'action'; args: [user: UserRef, ctx: HookContext]; phase: 'afterCommit'; since: '0.1.0' };
  'share.opened': { kind: 'action'; args: [share: ShareLinkRef, ctx: HookContext]; phase: 'afterCommit'; since: '0.1.0' };
  'site.head': { kind: 'filter'; value: PageInjection[]; args: [ctx: RenderContext]; phase: 'afterCommit'; since: '0.1.0' };
  'site.foot': { kind: 'filter'; value: PageInjection[]; args: [ctx: RenderContext]; phase: 'afterCommit'; since: '0.1.0' };
  'admin.menu': { kind: 'filter'; value: AdminMenuItem[]; args: [ctx: RenderContext]; phase: 'afterCommit'; since: '0.1.0' };
}

/**
 * Every hook, core and plugin. Plugins add theirs by declaration merging, and declare the same
 * hook at run time in `definePlugin({ declaresHooks: [...] })`:
 *
 * ```ts
 * // plugins/film-roll/src/hooks.ts (the path is relative to the file that augments)
 * declare module '../../../src/hooks/hook-map.js' {
 *   interface HookMap {
 *     'film-roll.developed': { kind: 'action'; args: [rollId: number]; phase: 'afterCommit'; since: '1.0.0' };
 *   }
 * }
 * ```
 */
export interface HookMap extends CoreHookMap {}

/** Any hook name. */
export type HookName = keyof HookMap & string;

/** Names of the hooks core declares. */
export type CoreHookName = keyof CoreHookMap & string;

/** Names of filter hooks. */
export type FilterHookName = { [K in HookName]: HookMap[K] extends { kind: 'filter' } ? K : never }[HookName];

/** Names of action hooks. */
export type ActionHookName = { [K in HookName]: HookMap[K] extends { kind: 'action' } ? K : never }[HookName];

/** Names of action hooks that run after commit (the ones an `AfterCommitQueue` holds). */
export type AfterCommitActionName = {
  [K in ActionHookName]: HookMap[K] extends { phase: 'afterCommit' } ? K : never;
}[ActionHookName];

/** The extra arguments of a hook. */
export type HookArgs<K extends HookName> = HookMap[K] extends { args: infer A extends readonly unknown[] } ? A : never;

/** The value a filter passes along. */
export type HookValue<K extends HookName> = HookMap[K] extends { kind: 'filter'; value: infer V } ? V : never;

/** A filter handler returns the (possibly new) value; it may be async. */
export type FilterHandler<V, A extends readonly unknown[]> = (value: V, ...args: A) => V | Promise<V>;

/** An action handler gets the hook's arguments and returns nothing; it may be async. */
export type ActionHandler<A extends readonly unknown[]> = (...args: A) => void | Promise<void>;

/** The handler type a hook accepts. */
export type HookHandler<K extends HookName> = HookMap[K] extends { kind: 'filter' }
  ? FilterHandler<HookValue<K>, HookArgs<K>>
  : ActionHandler<HookArgs<K>>;
