import 'reflect-metadata';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { EntitySchema, getMetadataArgsStorage } from 'typeorm';
import type { DiscoveredPlugin } from './plugin.discovery.js';
import { PluginLoadError } from './plugin.errors.js';
import type { Contribution, ContributionKind, ContributionValues } from './plugin.registry.js';
import type { AnyPluginDefinition } from './plugin.types.js';
import type { DynamicContributions } from './plugin-context.js';

/** Prefix of a plugin's tables: `plugin_<name>_`, hyphens turned into underscores. */
export function tablePrefix(pluginName: string): string {
  return `plugin_${pluginName.replace(/-/g, '_')}_`;
}

/** Where a plugin's REST controllers are mounted. */
export function apiBasePath(pluginName: string): string {
  return `/api/v1/plugins/${pluginName}`;
}

/**
 * Turns a validated definition into registry entries (one per name, id or key it claims), and
 * checks what needs the file system or decorator metadata: view folders, template references,
 * table names of entities and migrations, controller routes.
 * @throws PluginLoadError listing every problem, with the plugin's file
 */
export async function collectContributions(def: AnyPluginDefinition, plugin: DiscoveredPlugin, file: string): Promise<Contribution[]> {
  const { name } = plugin;
  const items: Contribution[] = [];
  const problems: string[] = [];
  const add = <K extends ContributionKind>(kind: K, key: string, value: ContributionValues[K]) =>
    items.push({ kind, key, owner: name, value } as Contribution);

  add('plugin', name, { dir: plugin.dir, version: plugin.manifest.version });
  for (const hook of def.declaresHooks ?? []) add('hook', hook.name, hook);

  const views = def.views ?? {};
  for (const [kind, folder] of [['template', views.templates], ['partial', views.partials]] as const) {
    if (folder === undefined) continue;
    const files = await hbsFiles(join(plugin.dir, folder));
    if (files === undefined) problems.push(`${file}: views.${kind}s: folder "${folder}" does not exist in ${plugin.dir}.`);
    for (const [id, path] of files ?? []) add(kind, `${name}/${id}`, { file: path });
  }
  for (const [helper, fn] of Object.entries(views.helpers ?? {})) add('helper', `${name}:${helper}`, fn);
  const templates = new Set(items.filter((i) => i.kind === 'template').map((i) => i.key));
  for (const page of [...(def.routes ?? []), ...(def.adminPages ?? [])]) {
    const t = page.template;
    if (t.includes('/') && !templates.has(t)) {
      problems.push(`${file}: template "${t}" is not among this plugin's templates (${[...templates].join(', ') || 'none'}).`);
    }
  }
  for (const page of def.adminPages ?? []) add('adminPage', `/admin/plugins/${name}/${page.path}`, page);

  items.push(...dynamicContributions(def, name));

  for (const controller of def.controllers ?? []) {
    const routes = controllerRoutes(controller, name);
    if (routes === undefined) problems.push(`${file}: controllers: ${controller.name} has no @Controller() decorator.`);
    for (const [key, handler] of routes ?? []) add('apiRoute', key, { controller, handler });
  }
  for (const entity of def.entities ?? []) {
    const table = tableName(entity);
    if (!table?.startsWith(tablePrefix(name))) {
      problems.push(`${file}: entities: ${entityLabel(entity)} maps to table "${table ?? '(unnamed)'}"; name it "${tablePrefix(name)}<something>", e.g. @Entity('${tablePrefix(name)}items').`);
    } else add('table', table, { entity });
  }
  for (const migration of def.migrations ?? []) {
    for (const t of tablesTouched(migration)) {
      if (!t.startsWith(tablePrefix(name))) problems.push(`${file}: migrations: ${migration.name} touches "${t}"; a plugin may only create or change tables and indexes named "${tablePrefix(name)}*".`);
    }
    add('migration', migration.name, migration);
  }
  if (problems.length > 0) throw new PluginLoadError(problems, name);
  return items;
}

/** Registry entries of the contributions that `register(ctx)` may also add at run time. */
export function dynamicContributions(def: DynamicContributions<any>, name: string): Contribution[] {
  const items: Contribution[] = [];
  const add = <K extends ContributionKind>(kind: K, key: string, value: ContributionValues[K]) =>
    items.push({ kind, key, owner: name, value } as Contribution);
  for (const importer of def.importers ?? []) add('importer', importer.id, importer);
  for (const field of def.metadataFields ?? []) add('metadataField', field.key, field);
  for (const size of def.imageSizes ?? []) add('imageSize', size.name, size);
  for (const route of def.routes ?? []) add('route', route.path, route);
  for (const method of def.wsMethods ?? []) add('wsMethod', method.name, method);
  for (const permission of def.permissions ?? []) add('permission', `${permission.action} ${permission.subject}`, permission);
  for (const entry of def.adminMenu ?? []) add('adminMenu', `${name}:${entry.page}`, entry);
  for (const job of def.jobs ?? []) add('job', `${name}.${job.name}`, job);
  return items;
}

/** `.hbs` files below a folder, as [id without extension, absolute path]; undefined if no folder. */
async function hbsFiles(folder: string): Promise<Array<[string, string]> | undefined> {
  let names: string[];
  try {
    names = await readdir(folder, { recursive: true });
  } catch {
    return undefined;
  }
  return names
    .filter((n) => n.endsWith('.hbs'))
    .sort()
    .map((n) => [relative(folder, join(folder, n)).slice(0, -4).split(sep).join('/'), join(folder, n)]);
}

/** `METHOD /api/v1/plugins/<name>/<controller>/<route>` for each handler; undefined if not a controller. */
function controllerRoutes(controller: Type<unknown>, name: string): Array<[string, string]> | undefined {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
  if (base === undefined) return undefined;
  const routes: Array<[string, string]> = [];
  const proto = controller.prototype as Record<string, unknown>;
  for (const handler of Object.getOwnPropertyNames(proto)) {
    const fn = proto[handler];
    if (handler === 'constructor' || typeof fn !== 'function') continue;
    const path = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
    const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
    if (path === undefined || method === undefined) continue;
    for (const b of [base].flat()) {
      for (const p of [path].flat()) routes.push([`${RequestMethod[method]} ${[apiBasePath(name), b, p].join('/').replace(/\/{2,}/g, '/')}`, handler]);
    }
  }
  return routes;
}

function tableName(entity: unknown): string | undefined {
  if (entity instanceof EntitySchema) return entity.options.tableName ?? undefined;
  return getMetadataArgsStorage().tables.find((t) => t.target === entity)?.name;
}

function entityLabel(entity: unknown): string {
  return entity instanceof EntitySchema ? `schema "${entity.options.name}"` : ((entity as { name?: string }).name ?? 'an entity');
}

const TABLE_SQL = /\b(?:CREATE|ALTER|DROP)\s+TABLE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?:ONLY\s+)?"?([A-Za-z_][\w.]*)"?/gi;
const INDEX_SQL = /\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"?([A-Za-z_]\w*)"?/gi;
const TABLE_API = /new\s+Table\(\s*\{\s*name:\s*['"`]([^'"`]+)/g;

/**
 * Tables and indexes a migration creates, alters or drops, read from its source text. A
 * heuristic: it sees literal SQL and `new Table({ name })`, not names built at run time.
 */
export function tablesTouched(migration: Type<unknown>): string[] {
  const proto = migration.prototype as Record<string, unknown>;
  const source = ['up', 'down'].map((m) => (typeof proto[m] === 'function' ? String(proto[m]) : '')).join('\n');
  const names = [TABLE_SQL, INDEX_SQL, TABLE_API].flatMap((re) => [...source.matchAll(re)].map((m) => m[1]!.replace(/^public\./, '')));
  return [...new Set(names)];
}
