import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CoreHookMap, CoreHookName, HookKind, HookPhase } from './hook-map.js';

/** One hook as the run-time catalogue describes it (core hooks and plugin-declared hooks alike). */
export interface HookCatalogueEntry {
  /** Dotted name, `<subject>.<event>`; plugin hooks start with `<plugin>.`. */
  readonly name: string;
  readonly kind: HookKind;
  readonly phase: HookPhase;
  /** The value (filters) and arguments, as TypeScript, for people. */
  readonly payload: string;
  /** One sentence: when it fires and what a handler may do. */
  readonly summary: string;
  /** Version that introduced it (core version for core hooks, plugin version for plugin hooks). */
  readonly since: string;
}

/** A catalogue entry whose kind, phase and version agree with {@link CoreHookMap} for its name. */
type CoreCatalogueEntry = {
  [K in CoreHookName]: HookCatalogueEntry & {
    readonly name: K;
    readonly kind: CoreHookMap[K]['kind'];
    readonly phase: CoreHookMap[K]['phase'];
    readonly since: CoreHookMap[K]['since'];
  };
}[CoreHookName];

/**
 * Every core hook, in documentation order. Must list exactly the keys of {@link CoreHookMap}:
 * `hook.registry.test-d.ts` checks it both ways, and docs/hooks.md is rendered from it.
 */
export const HOOK_CATALOGUE = [
  { name: 'photo.beforeImport', kind: 'filter', phase: 'inTransaction', since: '0.1.0',
    payload: 'value: ImportCandidate; args: [ctx: HookContext]',
    summary: 'Before a file becomes a photo. Change the target album, title or privacy, or throw `HookRejection(reason)` to refuse the file; the uploader sees the reason.' },
  { name: 'photo.metadata', kind: 'filter', phase: 'inTransaction', since: '0.1.0',
    payload: 'value: PhotoMetadata; args: [file: SourceFileRef, ctx: HookContext]',
    summary: 'Metadata read from the file, before it is stored. Correct fields or fill `plugins.<your-plugin>` with your metadata fields.' },
  { name: 'photo.imported', kind: 'action', phase: 'afterCommit', since: '0.1.0',
    payload: 'args: [photo: PhotoRef, ctx: HookContext]',
    summary: 'A photo was imported (upload, ws.php, folder or plugin importer) and committed.' },
  { name: 'photo.updated', kind: 'action', phase: 'afterCommit', since: '0.1.0',
    payload: 'args: [photo: PhotoRef, changes: ChangeSet, ctx: HookContext]',
    summary: 'A photo\'s fields changed; `changes` holds each field before and after.' },
  { name: 'photo.deleted', kind: 'action', phase: 'afterCommit', since: '0.1.0',
    payload: 'args: [photo: PhotoRef, ctx: HookContext]',
    summary: 'A photo was deleted; `photo` is a snapshot taken before removal.' },
  { name: 'album.created', kind: 'action', phase: 'afterCommit', since: '0.1.0',
    payload: 'args: [album: AlbumRef, ctx: HookContext]',
    summary: 'An album was created.' },
  { name: 'album.updated', kind: 'action', phase: 'afterCommit', since: '0.1.0',
    payload: 'args: [album: AlbumRef, changes: ChangeSet, ctx: HookContext]',
    summary: 'An album\'s name, slug, description, status or visibility changed.' },
  { name: 'album.moved', kind: 'action', phase: 'afterCommit', since: '0.1.0',
    payload: 'args: [album: AlbumRef, move: { fromParentId, toParentId }, ctx: HookContext]',
    summary: 'An album (with its subtree) got a new parent.' },
  { name: 'album.deleted', kind: 'action', phase: 'afterCommit', since: '0.1.0',
    payload: 'args: [album: AlbumRef, removed: { albumIds, photoIds }, ctx: HookContext]',
    summary: 'An album subtree was deleted; `removed` lists every album and photo row that went with it.' },
  { name: 'album.viewModel', kind: 'filter', phase: 'afterCommit', since: '0.1.0',
    payload: 'value: AlbumView; args: [ctx: RenderContext]',
    summary: 'What the `album` template receives. Add your data under `extensions.<your-plugin>`; it is already access-filtered.' },
  { name: 'photo.viewModel', kind: 'filter', phase: 'afterCommit', since: '0.1.0',
    payload: 'value: PhotoView; args: [ctx: RenderContext]',
    summary: 'What the `photo` template receives. Add your data under `extensions.<your-plugin>`.' },
  { name: 'image.sizes', kind: 'filter', phase: 'inTransaction', since: '0.1.0',
    payload: 'value: Record<string, ImageSizeSpec>; args: []',
    summary: 'The named derivative sizes, computed once at start-up. Prefer declaring `imageSizes` in `definePlugin`; use this filter to change core sizes. An error stops the start-up.' },
  { name: 'image.variant', kind: 'filter', phase: 'inTransaction', since: '0.1.0',
    payload: 'value: ImageVariant | null; args: [request: ImageVariantRequest]',
    summary: 'Which variant of a derivative a request gets: null (clean) or `{ key, transform(bytes) }`, cached per key. Wrap a previous variant rather than dropping it. An error fails the request.' },
  { name: 'user.loggedIn', kind: 'action', phase: 'afterCommit', since: '0.1.0',
    payload: 'args: [user: UserRef, ctx: HookContext]',
    summary: 'A user logged in (password, API key or ws.php).' },
  { name: 'share.opened', kind: 'action', phase: 'afterCommit', since: '0.1.0',
    payload: 'args: [share: ShareLinkRef, ctx: HookContext]',
    summary: 'A visitor opened a share link (after its password, if any, was accepted).' },
  { name: 'site.head', kind: 'filter', phase: 'afterCommit', since: '0.1.0',
    payload: 'value: PageInjection[]; args: [ctx: RenderContext]',
    summary: 'Items the theme\'s `{{head}}` helper writes into `<head>`: meta, link, script, stylesheet (escaped) or raw html.' },
  { name: 'site.foot', kind: 'filter', phase: 'afterCommit', since: '0.1.0',
    payload: 'value: PageInjection[]; args: [ctx: RenderContext]',
    summary: 'Items the theme\'s `{{foot}}` helper writes before `</body>`.' },
  { name: 'admin.menu', kind: 'filter', phase: 'afterCommit', since: '0.1.0',
    payload: 'value: AdminMenuItem[]; args: [ctx: RenderContext]',
    summary: 'The admin navigation, for entries that depend on the request; static entries belong in `definePlugin({ adminMenu })`.' },
] as const satisfies readonly CoreCatalogueEntry[];

const PHASE_TEXT: Record<HookPhase, string> = {
  inTransaction: 'runs inside the operation; may veto with `HookRejection`; an error aborts and rolls back',
  afterCommit: 'runs after the data is committed (or read, for rendering); an error is logged with the plugin name and the handler is skipped',
};

/** Renders the hook catalogue as Markdown (the content of docs/hooks.md). */
export function renderHookCatalogue(entries: readonly HookCatalogueEntry[] = HOOK_CATALOGUE): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    '# Hook catalogue',
    '',
    '<!-- Generated from HOOK_CATALOGUE in src/hooks/hook-catalogue.ts. Do not edit by hand:',
    '     run `VITRINE_WRITE_DOCS=1 npx vitest run src/hooks/hook-catalogue.spec.ts`. -->',
    '',
    'An **action** notifies (handlers return nothing); a **filter** passes a value through its',
    'handlers in series, each returning the value for the next. Handlers run by priority (lower',
    'first, default 100), ties in registration order. The types live in `src/hooks/hook-map.ts`',
    '(`HookMap`) and the payload shapes in `src/hooks/hook-payloads.ts`.',
    '',
    'Phases:',
    '',
    ...(Object.keys(PHASE_TEXT) as HookPhase[]).map((phase) => `- \`${phase}\`: ${PHASE_TEXT[phase]}.`),
    '',
    '| Hook | Kind | Phase | Payload | Since |',
    '| --- | --- | --- | --- | --- |',
    ...entries.map((e) => `| \`${e.name}\` | ${e.kind} | ${e.phase} | \`${cell(e.payload)}\` | ${e.since} |`),
    '',
    '## Details',
    '',
    ...entries.flatMap((e) => [`### \`${e.name}\``, '', `${e.kind}, ${e.phase}, since ${e.since}. ${e.summary}`, '']),
    'Plugins add hooks of their own: see [plugins.md](plugins.md#declaring-your-own-hooks).',
    '',
  ];
  return lines.join('\n');
}

/** Path of the generated document, relative to the repository root. */
export const HOOK_CATALOGUE_DOC = 'docs/hooks.md';

/** Writes docs/hooks.md under `rootDir`. */
export function writeHookCatalogue(rootDir: string = process.cwd()): string {
  const file = resolve(rootDir, HOOK_CATALOGUE_DOC);
  writeFileSync(file, renderHookCatalogue());
  return file;
}

// `node dist/src/hooks/hook-catalogue.js` (after `npm run build`) regenerates the document.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`wrote ${writeHookCatalogue()}`);
}
