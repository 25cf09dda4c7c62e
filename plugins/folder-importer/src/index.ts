import { resolve } from 'node:path';
import { definePlugin, z, type ActorRef, type PluginContext } from '../../../src/plugins/index.js';
import { FolderWatcher } from './folder.watcher.js';
import { IMAGE_EXTENSIONS, scanFolderTree, type FolderScanOptions } from './folder-tree.scanner.js';

/** The importer's id, as `vitrine import --importer folder-tree` and the import screen know it. */
export const FOLDER_TREE_IMPORTER = 'folder-tree';

const albumPath = z.array(z.string().trim().min(1).max(255)).min(1).max(16);

/** Options of one import run (CLI, import screen). */
export const importOptions = z.strictObject({
  folder: z.string().min(1).max(4096),
  intoAlbum: albumPath.optional(),
});

/** Plugin settings, edited in the admin. */
export const folderImporterOptions = z.strictObject({
  /** Folders watched for new or changed photos, each imported like `vitrine import <folder>`. */
  watch: z.array(z.strictObject({ folder: z.string().min(1).max(4096), intoAlbum: albumPath.optional() })).max(32).default([]),
  /** Quiet time after the last change before a watched folder is rescanned. */
  debounceMs: z.number().int().min(100).max(600_000).default(2000),
  /** Rescan watched folders every N minutes as well (0: only when the OS reports a change). */
  rescanMinutes: z.number().int().min(0).max(10_080).default(0),
  /** Extensions offered to core (core still checks every file by content). */
  extensions: z.array(z.string().regex(/^[a-z0-9]{1,8}$/)).min(1).max(32).default([...IMAGE_EXTENSIONS]),
});
export type FolderImporterOptions = z.infer<typeof folderImporterOptions>;

/** Who watch imports act as: system work with the rights of an administrator. */
export const WATCH_ACTOR: ActorRef = { userId: null, username: null, role: 'admin', via: 'system' };

/** Size and mtime of every file a watched folder's rescans already handed to core, by folder. */
const seen = new Map<string, Map<string, string>>();
let watcher: FolderWatcher | undefined;

/**
 * Imports every image of a watched folder that is new or changed since the last rescan in this
 * process (the first rescan after a start offers every file; core answers duplicates by content
 * hash, so nothing is stored twice). A file core refuses is logged and not retried until it changes.
 */
export async function rescanFolder(ctx: PluginContext<FolderImporterOptions>, folder: string, signal?: AbortSignal): Promise<{ imported: number; failed: number }> {
  const entry = ctx.options.watch.find((w) => resolve(w.folder) === resolve(folder));
  if (!entry) throw new Error(`"${folder}" is not a watched folder.`);
  const known = seen.get(resolve(folder)) ?? new Map<string, string>();
  seen.set(resolve(folder), known);
  const options: FolderScanOptions = { ...entry, extensions: ctx.options.extensions, unchanged: (path, fp) => known.get(path) === fp };
  let imported = 0;
  let failed = 0;
  for await (const { item, fingerprint } of scanFolderTree(options, signal, (n) => ctx.log.warn(`skipped ${n.path}: ${n.reason}`, { folder }))) {
    try {
      await ctx.services.photos.import(item, WATCH_ACTOR);
      imported++;
    } catch (error) {
      failed++;
      ctx.log.warn(`could not import ${item.externalId}: ${error instanceof Error ? error.message : String(error)}`, { folder });
    }
    known.set(item.externalId!, fingerprint);
  }
  if (imported + failed > 0) ctx.log.info(`rescanned ${folder}: ${imported} imported, ${failed} refused`);
  return { imported, failed };
}

/** Forgets what rescans saw (tests). */
export function resetSeen(): void {
  seen.clear();
}

export default definePlugin({
  name: 'folder-importer',
  description: 'Imports a folder tree, folders becoming albums; can watch folders for new photos.',
  options: folderImporterOptions,

  importers: [
    {
      id: FOLDER_TREE_IMPORTER,
      label: 'Folder tree',
      description: 'Every image below a folder; each folder becomes an album (created as needed).',
      options: importOptions,
      async *scan(options, run) {
        const extensions = (run.ctx.options as Partial<FolderImporterOptions>).extensions;
        for await (const { item } of scanFolderTree({ ...options, extensions }, run.signal, (n) => run.ctx.log.warn(`skipped ${n.path}: ${n.reason}`))) {
          yield item;
        }
      },
    },
  ],

  jobs: [
    {
      name: 'rescan',
      payload: z.strictObject({ folder: z.string().min(1) }),
      retries: 1,
      async handler(payload: { folder: string }, job) {
        await rescanFolder(job.ctx as PluginContext<FolderImporterOptions>, payload.folder, job.signal);
      },
    },
  ],

  bootstrap(ctx) {
    if (ctx.options.watch.length === 0) return;
    watcher = new FolderWatcher({
      debounceMs: ctx.options.debounceMs,
      rescanMinutes: ctx.options.rescanMinutes,
      rescan: async (folder) => void (await ctx.services.jobs.enqueue('rescan', { folder }, { singletonKey: `folder:${folder}` })),
      onError: (folder, error) => ctx.log.error(`watching ${folder} failed: ${error instanceof Error ? error.message : String(error)}`),
    });
    const folders = ctx.options.watch.map((w) => w.folder);
    watcher.start(folders);
    // Catch up with what changed while Vitrine was not running.
    for (const folder of folders) void watcher.run(folder);
    ctx.log.info(`watching ${folders.length} folder(s)`, { folders });
  },

  async destroy() {
    await watcher?.stop();
    watcher = undefined;
  },
});
