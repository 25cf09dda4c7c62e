import { PluginLoadError } from './plugin.errors.js';
import { satisfiesRange } from './version-range.js';

/** The part of a discovered plugin that ordering needs. */
export interface OrderablePlugin {
  name: string;
  manifest: { version: string; dependsOn: Record<string, string> };
}

/**
 * Orders plugins so that each comes after everything it depends on; independent plugins keep
 * alphabetical order, so the result is the same on every machine.
 * @throws PluginLoadError on a missing dependency, a dependency of the wrong version, or a cycle
 *   (the message spells the cycle out: `a → b → a`)
 */
export function orderPlugins<T extends OrderablePlugin>(plugins: readonly T[]): T[] {
  const byName = new Map(plugins.map((p) => [p.name, p]));
  const problems: string[] = [];
  for (const plugin of plugins) {
    for (const [dep, range] of Object.entries(plugin.manifest.dependsOn)) {
      const target = byName.get(dep);
      if (!target) problems.push(`Plugin "${plugin.name}" depends on plugin "${dep}", which is not installed.`);
      else if (!satisfiesRange(target.manifest.version, range)) {
        problems.push(`Plugin "${plugin.name}" needs plugin "${dep}" ${range}, but "${dep}" is ${target.manifest.version}.`);
      }
    }
  }
  if (problems.length > 0) throw new PluginLoadError(problems);

  const ordered: T[] = [];
  const placed = new Set<string>();
  let remaining = [...plugins].sort((a, b) => a.name.localeCompare(b.name));
  while (remaining.length > 0) {
    const ready = remaining.find((p) => Object.keys(p.manifest.dependsOn).every((d) => placed.has(d)));
    if (!ready) {
      const cycle = findCycle(remaining);
      throw new PluginLoadError([`Plugins depend on each other in a cycle: ${cycle.join(' → ')}. Remove one of these dependencies.`]);
    }
    ordered.push(ready);
    placed.add(ready.name);
    remaining = remaining.filter((p) => p !== ready);
  }
  return ordered;
}

/**
 * Keeps the enabled plugins of an ordered list.
 * @throws PluginLoadError when an enabled plugin depends on a disabled one
 */
export function enabledInOrder<T extends OrderablePlugin>(ordered: readonly T[], isEnabled: (name: string) => boolean): T[] {
  const enabled = ordered.filter((p) => isEnabled(p.name));
  const problems = enabled.flatMap((p) =>
    Object.keys(p.manifest.dependsOn)
      .filter((dep) => !isEnabled(dep))
      .map((dep) => `Plugin "${p.name}" is enabled but depends on plugin "${dep}", which is disabled. Enable "${dep}" or disable "${p.name}".`),
  );
  if (problems.length > 0) throw new PluginLoadError(problems);
  return enabled;
}

/** A cycle among plugins none of which can be placed: a path that returns to its start. */
function findCycle(remaining: readonly OrderablePlugin[]): string[] {
  const byName = new Map(remaining.map((p) => [p.name, p]));
  const path: string[] = [];
  let current = remaining[0]!;
  while (!path.includes(current.name)) {
    path.push(current.name);
    const next = Object.keys(current.manifest.dependsOn)
      .sort()
      .find((d) => byName.has(d));
    current = byName.get(next!)!;
  }
  return [...path.slice(path.indexOf(current.name)), current.name];
}
