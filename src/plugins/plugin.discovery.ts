import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PluginLoadError } from './plugin.errors.js';
import { readPluginManifest, type PluginManifest } from './plugin-manifest.js';
import { satisfiesRange } from './version-range.js';

/** A plugin found on disk: its folder and validated manifest. No code of it has run. */
export interface DiscoveredPlugin {
  name: string;
  /** Absolute path of the plugin folder. */
  dir: string;
  /** Absolute path of its package.json. */
  manifestFile: string;
  manifest: PluginManifest;
}

/**
 * Finds the plugins in one or more folders (each sub-folder `<name>/` with a package.json), reads
 * and validates their manifests and checks compatibility with the running core. Reads files
 * only: no plugin code runs here.
 *
 * Folders whose names start with `.` or `_`, and `node_modules`, are skipped; a missing root
 * folder holds no plugins.
 * @throws PluginLoadError listing every problem found (bad manifests, folder and package names
 *   that differ, a name used twice, incompatible plugins)
 */
export async function discoverPlugins(roots: readonly string[], coreVersion: string): Promise<DiscoveredPlugin[]> {
  const problems: string[] = [];
  const found = new Map<string, DiscoveredPlugin>();
  for (const root of roots.map((r) => resolve(r))) {
    for (const dir of await pluginFolders(root)) {
      try {
        const { manifest, file } = await readPluginManifest(dir);
        const folder = basename(dir);
        if (folder !== manifest.name) {
          problems.push(`${file}: the package is named "${manifest.name}" but its folder is "${folder}"; rename one so they match.`);
          continue;
        }
        const twin = found.get(manifest.name);
        if (twin) {
          problems.push(`Plugin name "${manifest.name}" is used twice: by ${twin.manifestFile} and by ${file}.`);
          continue;
        }
        if (!satisfiesRange(coreVersion, manifest.compatibility)) {
          problems.push(
            `${file}: plugin "${manifest.name}" ${manifest.version} requires Vitrine ${manifest.compatibility}, but this is Vitrine ${coreVersion}. Update the plugin or check its "vitrine.compatibility".`,
          );
          continue;
        }
        found.set(manifest.name, { name: manifest.name, dir, manifestFile: file, manifest });
      } catch (error) {
        if (!(error instanceof PluginLoadError)) throw error;
        problems.push(...error.problems);
      }
    }
  }
  if (problems.length > 0) throw new PluginLoadError(problems);
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

async function pluginFolders(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const folders: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.') || name.startsWith('_') || name === 'node_modules') continue;
    const dir = join(root, name);
    if ((await stat(dir)).isDirectory()) folders.push(dir);
  }
  return folders;
}
