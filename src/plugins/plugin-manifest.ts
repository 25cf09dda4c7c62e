import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import { z } from 'zod';
import { PluginLoadError } from './plugin.errors.js';
import { isValidRange, isValidVersion } from './version-range.js';

/** Plugin names: lower-case kebab-case, 2 to 50 characters, e.g. `film-roll`. */
export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Names no plugin may take, because they label core in messages and registries. */
export const RESERVED_PLUGIN_NAMES: ReadonlySet<string> = new Set(['core', 'vitrine', 'admin', 'api', 'site', 'theme']);

/**
 * What `plugins/<name>/package.json` says about a plugin, once validated. `dependsOn` is
 * normalised to `{ name: range }` (`*` when package.json gives a bare list of names).
 */
export interface PluginManifest {
  name: string;
  version: string;
  description?: string;
  /** Semver range of Vitrine versions the plugin runs on. */
  compatibility: string;
  /** Module exporting `definePlugin(...)` by default, relative to the plugin folder. */
  main: string;
  dependsOn: Record<string, string>;
}

const pluginName = z
  .string()
  .min(2)
  .max(50)
  .regex(PLUGIN_NAME_PATTERN, 'must be lower-case kebab-case, e.g. "film-roll"')
  .refine((name) => !RESERVED_PLUGIN_NAMES.has(name), 'is reserved for core');

const range = z.string().refine(isValidRange, 'must be a semver range such as "^0.1" or ">=1.2 <3"');

const manifestSchema = z.object({
  name: pluginName,
  version: z.string().refine(isValidVersion, 'must be a semver version such as "1.0.0"'),
  description: z.string().optional(),
  vitrine: z
    .object({
      compatibility: range,
      main: z.string().min(1).refine(isInsideFolder, 'must be a relative path inside the plugin folder, e.g. "src/index.ts"'),
      dependsOn: z.union([z.array(pluginName), z.record(pluginName, range)]).optional(),
    })
    .strict(),
});

/**
 * Reads and validates a plugin's package.json without running any of its code.
 * @param dir absolute path of the plugin folder
 * @throws PluginLoadError naming the file and every problem in it
 */
export async function readPluginManifest(dir: string): Promise<{ manifest: PluginManifest; file: string }> {
  const file = join(dir, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new PluginLoadError([`${file}: missing. A plugin folder needs a package.json with a "vitrine" section.`]);
  }
  return { manifest: parsePluginManifest(text, file), file };
}

/** Validates the text of a package.json; `file` is only used in messages. */
export function parsePluginManifest(text: string, file: string): PluginManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PluginLoadError([`${file}: not valid JSON (${(error as Error).message}).`]);
  }
  if (typeof json === 'object' && json !== null && !('vitrine' in json)) {
    throw new PluginLoadError([
      `${file}: no "vitrine" section, so this is not a Vitrine plugin. Add "vitrine": { "compatibility": "^0.1", "main": "src/index.ts" }.`,
    ]);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new PluginLoadError(formatIssues(parsed.error.issues, json, file));
  const { name, version, description, vitrine } = parsed.data;
  const deps = vitrine.dependsOn ?? {};
  const dependsOn = Array.isArray(deps) ? Object.fromEntries(deps.map((d) => [d, '*'])) : deps;
  if (name in dependsOn) throw new PluginLoadError([`${file}: vitrine.dependsOn: plugin "${name}" depends on itself.`]);
  return { name, version, ...(description === undefined ? {} : { description }), compatibility: vitrine.compatibility, main: vitrine.main, dependsOn };
}

/** Reads Vitrine's own version from the root package.json. */
export async function readCoreVersion(rootDir: string): Promise<string> {
  const file = join(rootDir, 'package.json');
  const json = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown };
  if (typeof json.version !== 'string' || !isValidVersion(json.version)) {
    throw new PluginLoadError([`${file}: "version" must be a semver version to check plugin compatibility.`]);
  }
  return json.version;
}

/** One line per zod issue: `file: path: message (found value)`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown, file: string): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(root)';
    const found = valueAt(input, issue.path);
    const shown = found === undefined ? '' : ` (found ${preview(found)})`;
    return `${file}: ${path}: ${issue.message}${shown}`;
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function preview(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Whether a relative path stays inside the folder it is relative to. */
export function isInsideFolder(path: string): boolean {
  if (isAbsolute(path)) return false;
  const clean = normalize(path);
  return clean !== '..' && !clean.startsWith('../') && !clean.startsWith('..\\');
}
