import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { VitrineError } from '../common/errors.js';

/**
 * One file an importer offers to the core. The core decides the rest by content: whether it is
 * an image, whether it was imported before (SHA-256), where it is stored. Plugin importers
 * produce these from their own `scan`.
 */
export interface ImportItem {
  /** Absolute path of a readable local file. Never moved or modified by the import. */
  path: string;
  /** Path shown in progress and reports (relative to the scanned root). */
  displayPath: string;
  /** File name stored as the photo's `original_name`. */
  name: string;
  size: number;
  /**
   * Album chain below the import's target, by name (`['2024', 'Lisbon']`): each is found
   * among the parent's children or created. Empty: the import's target album itself.
   */
  albumPath: string[];
  title?: string;
  description?: string;
  tags?: string[];
}

/** A directory entry the scan did not offer, and why. */
export interface ScanSkip {
  displayPath: string;
  reason: 'hidden' | 'symlink' | 'not-a-file' | 'unreadable' | 'subfolder';
}

export interface FolderScanOptions {
  /** Descend into subfolders (default false: only the folder's own files). */
  recursive?: boolean;
  /** Each subfolder becomes an album below the target (`albumPath` = the folder names). */
  albumsFromFolders?: boolean;
}

export interface FolderScan {
  root: string;
  items: ImportItem[];
  skipped: ScanSkip[];
}

/**
 * Lists the files of a folder for import, in a stable order (by path). Hidden entries (`.name`)
 * and symbolic links are skipped (no loops, nothing outside the folder); so are special files.
 * Nothing is opened: content checks happen at import.
 * @throws VitrineError `import.folder_not_found` (404) when `root` is not a readable directory.
 */
export async function scanFolder(root: string, options: FolderScanOptions = {}): Promise<FolderScan> {
  const absolute = resolve(root);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isDirectory()) throw new VitrineError('not_found', 'import.folder_not_found', `${root} is not a folder that can be read.`);
  const items: ImportItem[] = [];
  const skipped: ScanSkip[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      skipped.push({ displayPath: relative(absolute, dir) || '.', reason: 'unreadable' });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const displayPath = relative(absolute, path);
      if (entry.name.startsWith('.')) skipped.push({ displayPath, reason: 'hidden' });
      else if (entry.isSymbolicLink()) skipped.push({ displayPath, reason: 'symlink' });
      else if (entry.isDirectory()) {
        if (options.recursive) await walk(path);
        else skipped.push({ displayPath, reason: 'subfolder' });
      } else if (!entry.isFile()) skipped.push({ displayPath, reason: 'not-a-file' });
      else {
        const size = (await stat(path).catch(() => undefined))?.size;
        if (size === undefined) {
          skipped.push({ displayPath, reason: 'unreadable' });
          continue;
        }
        const folders = relative(absolute, dir).split(sep).filter(Boolean);
        items.push({ path, displayPath, name: entry.name, size, albumPath: options.albumsFromFolders ? folders : [] });
      }
    }
  };
  await walk(absolute);
  return { root: absolute, items, skipped };
}

/** The default album name for a folder import: the folder's own name. */
export function folderAlbumName(root: string): string {
  return basename(resolve(root)) || 'Import';
}
