import { stat } from 'node:fs/promises';
import { ZodError } from 'zod';
import { VitrineError } from '../common/errors.js';
import type { ActorRef } from '../hooks/hook-payloads.js';
import type { PluginHost } from '../plugin-host/plugin-host.js';
import type { ImportItem as PluginImportItem } from '../plugins/plugin-contributions.js';
import type { ImportItem, ScanSkip } from './folder-scan.js';

/** Items of one target album: `albumPath` is relative to the top-level album `albumName`. */
export interface ImportGroup {
  albumName: string;
  items: ImportItem[];
}

export interface PluginImporterScan {
  groups: ImportGroup[];
  skipped: ScanSkip[];
  total: number;
}

/**
 * The **scan** step through a plugin importer (e.g. `folder-tree` of the bundled folder-importer
 * plugin): runs its `scan(options, run)` and turns each `ImportItem` it yields into an item of
 * the folder import engine, which then does the import step (sniff, dedupe by hash, storage,
 * metadata, hooks, jobs). Items are grouped by the first name of their album path (the top-level
 * album; `albumName` replaces it when given). Only local files can be imported this way; other
 * sources are listed as skipped.
 * @throws VitrineError `import.unknown_importer` (404) naming the importers there are, or
 *   `import.invalid_options` (400) when the importer's options schema refuses `options`.
 */
export async function scanWithPluginImporter(
  host: PluginHost,
  importerId: string,
  options: unknown,
  settings: { actor: ActorRef; albumName?: string; signal?: AbortSignal },
): Promise<PluginImporterScan> {
  const entry = host.registry.get('importer', importerId);
  const plugin = entry ? host.plugin(entry.owner) : undefined;
  if (!entry || !plugin) {
    const known = host.registry.list('importer').map((i) => i.key);
    throw new VitrineError('not_found', 'import.unknown_importer', `No importer "${importerId}"; enabled plugin importers: ${known.join(', ') || 'none'}.`);
  }
  const importer = entry.value;
  let parsed: unknown = options;
  try {
    if (importer.options) parsed = importer.options.parse(options);
  } catch (error) {
    const detail = error instanceof ZodError ? error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ') : String(error);
    throw new VitrineError('invalid', 'import.invalid_options', `Importer "${importerId}" refused its options: ${detail}`);
  }
  const groups = new Map<string, ImportItem[]>();
  const skipped: ScanSkip[] = [];
  let total = 0;
  const run = { ctx: host.contextFor(plugin), actor: settings.actor, signal: settings.signal ?? new AbortController().signal };
  for await (const item of importer.scan(parsed, run) as AsyncIterable<PluginImportItem>) {
    const displayPath = item.externalId ?? item.originalName;
    if (item.source.kind !== 'file') {
      skipped.push({ displayPath, reason: 'not-a-file' });
      continue;
    }
    const size = (await stat(item.source.path).catch(() => undefined))?.size;
    if (size === undefined) {
      skipped.push({ displayPath, reason: 'unreadable' });
      continue;
    }
    const chain = item.album && 'path' in item.album ? [...item.album.path] : [];
    const albumName = settings.albumName ?? chain[0] ?? importerId;
    const list = groups.get(albumName) ?? [];
    list.push({ path: item.source.path, displayPath, name: item.originalName, size, albumPath: chain.slice(1), title: item.title, description: item.description });
    groups.set(albumName, list);
    total++;
  }
  return { groups: [...groups].map(([albumName, items]) => ({ albumName, items })), skipped, total };
}
