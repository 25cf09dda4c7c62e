import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** The raw files of a theme directory, read without interpreting them. */
export interface ThemeFiles {
  /** Page templates at the top level, by name without `.hbs` (e.g. `album`, `error-404`). */
  templates: Map<string, { file: string; source: string }>;
  /** Partials under `partials/`, by path without `.hbs` (e.g. `photo-grid`, `icons/arrow`). */
  partials: Map<string, { file: string; source: string }>;
  /** Locale files under `locales/`, by file name (e.g. `fr.json`). */
  locales: Map<string, { file: string; text: string }>;
  /** Files under `assets/`, by relative path with `/` separators. */
  assets: Map<string, { file: string; hash: string }>;
}

/** Length of the content hash in asset URLs (hex characters of sha256). */
const HASH_LENGTH = 12;

async function entries(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}

/**
 * Lists regular files below `dir`, recursively, skipping dot-files and symbolic links (a theme
 * cannot expose files outside its folder through a link).
 */
async function walk(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await entries(dir)) {
    if (entry.name.startsWith('.') || entry.isSymbolicLink()) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path, root)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

const rel = (root: string, file: string) => relative(root, file).split(sep).join('/');

/** Reads the templates, partials, locales and assets of the theme in `dir`. */
export async function readThemeFiles(dir: string): Promise<ThemeFiles> {
  const files: ThemeFiles = { templates: new Map(), partials: new Map(), locales: new Map(), assets: new Map() };
  for (const entry of await entries(dir)) {
    if (entry.isFile() && entry.name.endsWith('.hbs') && !entry.name.startsWith('.')) {
      const file = join(dir, entry.name);
      files.templates.set(entry.name.slice(0, -4), { file, source: await readFile(file, 'utf8') });
    }
  }
  const partialsDir = join(dir, 'partials');
  for (const file of await walk(partialsDir)) {
    if (file.endsWith('.hbs')) files.partials.set(rel(partialsDir, file).slice(0, -4), { file, source: await readFile(file, 'utf8') });
  }
  const localesDir = join(dir, 'locales');
  for (const entry of await entries(localesDir)) {
    if (entry.isFile() && entry.name.endsWith('.json')) {
      const file = join(localesDir, entry.name);
      files.locales.set(entry.name, { file, text: await readFile(file, 'utf8') });
    }
  }
  const assetsDir = join(dir, 'assets');
  for (const file of await walk(assetsDir)) {
    const hash = createHash('sha256').update(await readFile(file)).digest('hex').slice(0, HASH_LENGTH);
    files.assets.set(rel(assetsDir, file), { file, hash });
  }
  return files;
}

/** Whether `dir` exists and is a directory. */
export async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}
