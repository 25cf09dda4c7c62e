import { z } from 'zod';
import type { DiscoveredPlugin } from './plugin.discovery.js';
import { PluginLoadError } from './plugin.errors.js';
import type { AnyPluginDefinition } from './plugin.types.js';
import { formatIssues, isInsideFolder } from './plugin-manifest.js';

const fn = z.custom<(...args: any[]) => unknown>((v) => typeof v === 'function', 'must be a function');
const cls = z.custom<new (...args: any[]) => unknown>((v) => typeof v === 'function', 'must be a class');
const schema = z.custom<z.ZodType>((v) => typeof (v as { safeParse?: unknown })?.safeParse === 'function', 'must be a zod schema');
const text = z.string().trim().min(1);
const folder = text.refine(isInsideFolder, 'must be a relative path inside the plugin folder, e.g. "views/templates"');
const kebab = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be lower-case kebab-case');
const camel = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'must be camelCase, e.g. "filmStock"');
const dimension = z.number().int().positive().max(10_000); // src/media's limit
const sitePath = z.string().regex(/^\/[A-Za-z0-9\-._~:/]*$/, 'must start with "/" and hold only URL path characters').refine((p) => !p.includes('..'), 'must not contain ".."');

const definitionSchema = z
  .object({
    name: z.string(),
    version: z.string().optional(),
    compatibility: z.string().optional(),
    dependsOn: z.array(z.string()).optional(),
    description: z.string().optional(),
    options: schema.optional(),
    hooks: fn.optional(),
    register: fn.optional(),
    bootstrap: fn.optional(),
    destroy: fn.optional(),
    install: fn.optional(),
    upgrade: fn.optional(),
    uninstall: fn.optional(),
    declaresHooks: z
      .array(z.object({ name: text, kind: z.enum(['action', 'filter']), phase: z.enum(['inTransaction', 'afterCommit']), payload: text, summary: text, since: text }).strict())
      .optional(),
    importers: z.array(z.object({ id: kebab, label: text, description: z.string().optional(), options: schema.optional(), scan: fn }).strict()).optional(),
    metadataFields: z
      .array(
        z
          .object({
            key: camel,
            type: z.enum(['string', 'number', 'boolean', 'date', 'enum']),
            label: text,
            values: z.array(text).min(1).optional(),
            searchable: z.boolean().optional(),
            public: z.boolean().optional(),
            validate: fn.optional(),
            format: fn.optional(),
          })
          .strict()
          .refine((f) => (f.type === 'enum') === (f.values !== undefined), 'an enum field needs "values", and only an enum field has them'),
      )
      .optional(),
    imageSizes: z
      .array(z.object({ name: kebab, width: dimension, height: dimension, crop: z.boolean().optional(), eager: z.boolean().optional() }).strict())
      .optional(),
    views: z.object({ templates: folder.optional(), partials: folder.optional(), helpers: z.record(camel, fn).optional() }).strict().optional(),
    routes: z.array(z.object({ path: sitePath, template: text, handler: fn }).strict()).optional(),
    controllers: z.array(cls).optional(),
    providers: z.array(z.unknown()).optional(),
    wsMethods: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)+$/, 'must be dotted, e.g. "filmRoll.getRolls"'),
            params: z.record(
              z.string(),
              z
                .object({
                  type: z.enum(['mixed', 'bool', 'int', 'int_positive', 'id', 'float', 'float_positive', 'float_positive_notnull']).optional(),
                  default: z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number(), z.boolean()]))]).optional(),
                  optional: z.boolean().optional(),
                  array: z.enum(['accept', 'force']).optional(),
                  maxValue: z.number().optional(),
                  enum: z.array(z.string()).optional(),
                  info: z.string().optional(),
                })
                .strict(),
            ),
            description: z.string().optional(),
            adminOnly: z.boolean().optional(),
            postOnly: z.boolean().optional(),
            hidden: z.boolean().optional(),
            handler: fn,
          })
          .strict(),
      )
      .optional(),
    permissions: z
      .array(z.object({ action: camel, subject: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be PascalCase, e.g. "FilmRoll"'), description: text, defaultRoles: z.array(z.string()).optional() }).strict())
      .optional(),
    adminPages: z
      .array(
        z
          .object({
            path: z.string().regex(/^([a-z0-9-]+(\/[a-z0-9-]+)*)?$/, 'must be "" or lower-case segments such as "settings"'),
            title: text,
            template: text,
            handler: fn.optional(),
            permission: z.object({ action: text, subject: text }).strict().optional(),
          })
          .strict(),
      )
      .optional(),
    adminMenu: z.array(z.object({ label: text, page: z.string(), section: z.string().optional(), order: z.number().optional() }).strict()).optional(),
    entities: z.array(z.unknown()).optional(),
    migrations: z.array(cls).optional(),
    jobs: z.array(z.object({ name: kebab, payload: schema.optional(), handler: fn, retries: z.number().int().min(0).optional() }).strict()).optional(),
  })
  .strict();

/**
 * Checks what a plugin's `main` module exported: the shape of every field (unknown fields are
 * refused, so a typo such as `imagesizes` does not pass silently), and agreement with package.json.
 * @param exported the module's default export
 * @param file the module's path, for messages
 * @throws PluginLoadError listing every problem, each prefixed with `file`
 */
export function validatePluginDefinition(exported: unknown, plugin: DiscoveredPlugin, file: string): AnyPluginDefinition {
  if (typeof exported !== 'object' || exported === null) {
    throw new PluginLoadError([`${file}: the default export must be definePlugin({ ... }), found ${exported === null ? 'null' : typeof exported}.`], plugin.name);
  }
  const parsed = definitionSchema.safeParse(exported);
  const problems = parsed.success ? [] : formatIssues(parsed.error.issues, exported, file);
  problems.push(...agreementProblems(exported as AnyPluginDefinition, plugin, file));
  if (problems.length > 0) throw new PluginLoadError(problems, plugin.name);
  return exported as AnyPluginDefinition;
}

function agreementProblems(def: AnyPluginDefinition, plugin: DiscoveredPlugin, file: string): string[] {
  const { manifest, manifestFile } = plugin;
  const problems: string[] = [];
  const differs = (field: string, here: unknown, there: unknown) =>
    problems.push(`${file}: ${field} is ${JSON.stringify(here)} but ${manifestFile} says ${JSON.stringify(there)}; they must agree.`);
  if (def.name !== manifest.name) differs('name', def.name, manifest.name);
  if (def.version !== undefined && def.version !== manifest.version) differs('version', def.version, manifest.version);
  if (def.compatibility !== undefined && def.compatibility !== manifest.compatibility) differs('compatibility', def.compatibility, manifest.compatibility);
  if (Array.isArray(def.dependsOn)) {
    const here = [...def.dependsOn].sort();
    const there = Object.keys(manifest.dependsOn).sort();
    if (here.join() !== there.join()) differs('dependsOn', here, there);
  }
  for (const hook of def.declaresHooks ?? []) {
    if (!hook.name.startsWith(`${manifest.name}.`)) problems.push(`${file}: declaresHooks: hook "${hook.name}" must be named "${manifest.name}.<event>".`);
  }
  const pages = new Set((def.adminPages ?? []).map((p) => p.path));
  for (const entry of def.adminMenu ?? []) {
    if (!pages.has(entry.page)) problems.push(`${file}: adminMenu: entry "${entry.label}" points to admin page "${entry.page}", which is not in adminPages.`);
  }
  return problems;
}

const dynamicSchema = definitionSchema
  .pick({ importers: true, metadataFields: true, imageSizes: true, routes: true, wsMethods: true, permissions: true, adminMenu: true, jobs: true })
  .strict();

/**
 * Checks contributions a plugin adds from `register(ctx)` with `ctx.contribute(...)`.
 * @throws PluginLoadError naming the plugin
 */
export function validateDynamicContributions(contributions: unknown, plugin: string): void {
  const parsed = dynamicSchema.safeParse(contributions);
  if (!parsed.success) throw new PluginLoadError(formatIssues(parsed.error.issues, contributions, `plugin "${plugin}" register(): contribute()`), plugin);
}
