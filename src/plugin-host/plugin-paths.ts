import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DiscoveredPlugin } from '../plugins/plugin.discovery.js';

/**
 * The repository (or installation) root: the nearest ancestor of this file whose package.json is
 * named `vitrine`. Works from `src/` under vitest and from `dist/src/` in production.
 */
export function findVitrineRoot(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        if ((JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'vitrine') return dir;
      } catch {
        // not ours; keep climbing
      }
    }
    if (dirname(dir) === dir) return process.cwd();
  }
}

/** Whether this code runs compiled (from `dist/`) rather than from sources under vitest. */
export function runningCompiled(): boolean {
  return fileURLToPath(import.meta.url).endsWith('.js');
}

/**
 * Which file to import for a plugin. From sources (vitest) the `main` as written; compiled, a
 * `.ts` main is taken from `<root>/dist/<same path>.js` when `tsc` emitted it there.
 */
export function pluginMainResolver(root: string, compiled = runningCompiled()): (plugin: DiscoveredPlugin) => string {
  return (plugin) => {
    const source = join(plugin.dir, plugin.manifest.main);
    if (!compiled || !/\.m?ts$/.test(source)) return source;
    const rel = relative(root, plugin.dir);
    if (rel.startsWith('..')) return source;
    const built = join(root, 'dist', rel, plugin.manifest.main.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs'));
    return existsSync(built) ? built : source;
  };
}
