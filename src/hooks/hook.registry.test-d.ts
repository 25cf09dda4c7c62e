/**
 * Type-level tests of the hook contract. This file is never run; `hook-types.spec.ts` compiles it
 * with `tsc` and expects success, so every `@ts-expect-error` below must really be an error.
 */
import { HOOK_CATALOGUE } from './hook-catalogue.js';
import type { CoreHookMap, CoreHookName, HookMap, HookName, HookSpec } from './hook-map.js';
import type { AlbumView, HookContext, ImportCandidate, PhotoMetadata, PhotoRef } from './hook-payloads.js';
import { AfterCommitQueue } from './hook-after-commit.js';
import { HookRegistry } from './hook.registry.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

// The catalogue lists every core hook, and nothing else.
type CatalogueName = (typeof HOOK_CATALOGUE)[number]['name'];
assertType<Equal<CatalogueName, CoreHookName>>();
assertType<Equal<Exclude<CoreHookName, CatalogueName>, never>>();
assertType<Equal<Exclude<CatalogueName, CoreHookName>, never>>();

// Every entry of the map has the HookSpec shape.
type Malformed = { [K in HookName]: HookMap[K] extends HookSpec ? never : K }[HookName];
assertType<Equal<Malformed, never>>();
// Filters declare a value.
type FilterWithoutValue = { [K in CoreHookName]: CoreHookMap[K] extends { kind: 'filter'; value: unknown } | { kind: 'action' } ? never : K }[CoreHookName];
assertType<Equal<FilterWithoutValue, never>>();

declare const hooks: HookRegistry;
declare const photo: PhotoRef;
declare const ctx: HookContext;
declare const candidate: ImportCandidate;
declare const view: AlbumView;
const plugin = { plugin: 'demo' };

// --- What compiles ---------------------------------------------------------------------------

hooks.on('photo.imported', (p, c) => void [p.id satisfies number, c.actor.role], plugin);
hooks.on('photo.imported', async () => {}, { plugin: 'demo', priority: 10 });
hooks.on('photo.beforeImport', (value) => ({ ...value, title: 'x' }), plugin);
hooks.on('photo.metadata', async (meta, file) => ({ ...meta, title: file.originalName }), plugin);
hooks.on('album.viewModel', (v, render) => ({ ...v, extensions: { ...v.extensions, demo: render.theme } }), plugin);
hooks.on('image.sizes', (sizes) => ({ ...sizes, poster: { width: 2000, height: 1000, crop: true, eager: false } }), plugin);
void hooks.doAction('photo.imported', photo, ctx);
void hooks.applyFilter('photo.beforeImport', candidate, ctx).then((c: ImportCandidate) => c.albumId);
void hooks.applyFilter('album.viewModel', view, { ...ctx, page: 'album', url: '/', theme: 'default' });
new AfterCommitQueue(hooks).add('photo.imported', photo, ctx);

// --- What does not ---------------------------------------------------------------------------

// A filter handler that returns the wrong type.
// @ts-expect-error number is not a PhotoMetadata
hooks.on('photo.metadata', () => 42, plugin);
// @ts-expect-error a filter must return the value (forgotten return)
hooks.on('photo.beforeImport', (value) => void (value.title = 'x'), plugin);
// @ts-expect-error async, still the wrong type
hooks.on('album.viewModel', async () => 'html', plugin);

// An action handler whose parameters do not match the arguments.
// @ts-expect-error photo.imported passes a PhotoRef, not a string
hooks.on('photo.imported', (id: string) => void id, plugin);
// @ts-expect-error too many parameters: photo.deleted has (photo, ctx)
hooks.on('photo.deleted', (p: PhotoRef, c: HookContext, extra: number) => void [p, c, extra], plugin);

// An action fired with the wrong arguments.
// @ts-expect-error missing ctx
void hooks.doAction('photo.imported', photo);
// @ts-expect-error a number is not a PhotoRef
void hooks.doAction('photo.imported', 42, ctx);
// @ts-expect-error a filter's value of the wrong type
void hooks.applyFilter('photo.metadata', candidate, { path: '', originalName: '', mimeType: '', size: 0, sha256: '' }, ctx);

// Unknown hook names.
// @ts-expect-error typo
hooks.on('photo.imprted', () => {}, plugin);
// @ts-expect-error not a hook
void hooks.doAction('album.renamed', photo, ctx);

// Kind mismatches.
// @ts-expect-error photo.imported is an action, not a filter
void hooks.applyFilter('photo.imported', photo, ctx);
// @ts-expect-error album.viewModel is a filter, not an action
void hooks.doAction('album.viewModel', view, ctx);

// The subscription must name its plugin.
// @ts-expect-error missing options
hooks.on('photo.imported', () => {});

// Only after-commit actions can be queued.
// @ts-expect-error photo.beforeImport runs in the transaction
new AfterCommitQueue(hooks).add('photo.beforeImport', candidate, ctx);

// Payloads are read-only where core owns them.
hooks.on('photo.imported', (p) => {
  // @ts-expect-error PhotoRef is read-only
  p.id = 3;
}, plugin);

// Declaration merging adds hooks (see test/fixtures/plugins/valid/hello for a real one).
assertType<Equal<HookMap['hello.greeted']['kind'], 'action'>>();
hooks.on('hello.greeted', (name) => void (name satisfies string), plugin);
// @ts-expect-error hello.greeted passes a string
hooks.on('hello.greeted', (name: number) => void name, plugin);
