import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ImportItem } from '../../../src/plugins/index.js';

/** File extensions offered to core by default (core still sniffs every file by content). */
export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'avif', 'gif', 'tif', 'tiff'] as const;

/** Deepest folder level walked below the root; deeper folders are skipped and reported. */
export const MAX_DEPTH = 32;
/** Longest album name taken from a folder name (longer ones are cut). */
export const MAX_ALBUM_NAME = 255;

export interface FolderScanOptions {
  /** The folder to import (absolute, or relative to the working directory). */
  folder: string;
  /**
   * Album path the tree goes into, e.g. `['Imports', '2024']`. Default: an album named after
   * the root folder, so `~/Photos/Rome/day1/a.jpg` lands in `Photos / Rome / day1`.
   */
  intoAlbum?: readonly string[];
  /** Lower-case extensions to offer; default {@link IMAGE_EXTENSIONS}. */
  extensions?: readonly string[];
  /** Skip files whose size and modification time equal these (by relative path): used by watch rescans. */
  unchanged?: (relativePath: string, fingerprint: string) => boolean;
}

/** What the walk met besides images, for the import report. */
export interface ScanNotice {
  path: string;
  reason: 'symlink' | 'too-deep' | 'unreadable';
}

/** A file found by the walk, with what a rescan needs to recognise it. */
export interface ScannedFile {
  item: ImportItem;
  /** `<size>:<mtimeMs>`: a rescan skips files whose fingerprint did not change. */
  fingerprint: string;
}

/**
 * Walks a folder tree depth-first in name order and yields one import item per image file:
 * folders become albums (created by core as needed), the relative path is the item's
 * `externalId`. Hidden files and folders (`.name`) are skipped; symbolic links are never
 * followed, so a link cannot pull files from outside the tree or loop. Reading stops when
 * `signal` aborts.
 */
export async function* scanFolderTree(
  options: FolderScanOptions,
  signal?: AbortSignal,
  notice: (n: ScanNotice) => void = () => undefined,
): AsyncGenerator<ScannedFile> {
  const root = resolve(options.folder);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new FolderScanError(`"${options.folder}" is not a readable folder.`);
  const allowed = new Set((options.extensions ?? IMAGE_EXTENSIONS).map((e) => e.toLowerCase().replace(/^\./, '')));
  const base = options.intoAlbum?.length ? options.intoAlbum.map(albumName) : [albumName(basename(root) || 'Import')];
  yield* walk(root, [], 0);

  async function* walk(dir: string, relative: string[], depth: number): AsyncGenerator<ScannedFile> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      notice({ path: relative.join('/') || '.', reason: 'unreadable' });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const folders: Dirent[] = [];
    for (const entry of entries) {
      if (signal?.aborted) return;
      if (entry.name.startsWith('.')) continue;
      const rel = [...relative, entry.name];
      if (entry.isSymbolicLink()) {
        notice({ path: rel.join('/'), reason: 'symlink' });
        continue;
      }
      if (entry.isDirectory()) {
        folders.push(entry);
        continue;
      }
      if (!entry.isFile() || !allowed.has(extensionOf(entry.name))) continue;
      const path = join(dir, entry.name);
      const file = await stat(path).catch(() => undefined);
      if (!file) {
        notice({ path: rel.join('/'), reason: 'unreadable' });
        continue;
      }
      const externalId = rel.join('/');
      const fingerprint = `${file.size}:${Math.trunc(file.mtimeMs)}`;
      if (options.unchanged?.(externalId, fingerprint)) continue;
      yield {
        fingerprint,
        item: { source: { kind: 'file', path }, originalName: entry.name, album: { path: [...base, ...relative.map(albumName)] }, externalId },
      };
    }
    for (const folder of folders) {
      if (signal?.aborted) return;
      const rel = [...relative, folder.name];
      if (depth + 1 > MAX_DEPTH) {
        notice({ path: rel.join('/'), reason: 'too-deep' });
        continue;
      }
      yield* walk(join(dir, folder.name), rel, depth + 1);
    }
  }
}

/** A folder that cannot be imported (missing, not a folder, unreadable). */
export class FolderScanError extends Error {
  override readonly name = 'FolderScanError';
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** A folder name as an album name: control characters removed, whitespace collapsed, bounded. */
export function albumName(folder: string): string {
  const cleaned = [...folder.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').replace(/\s+/g, ' ').trim()];
  return cleaned.slice(0, MAX_ALBUM_NAME).join('') || 'Untitled';
}
