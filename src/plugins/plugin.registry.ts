import type { Type } from '@nestjs/common';
import type { MigrationInterface } from 'typeorm';
import { PluginConflictError } from './plugin.errors.js';
import type { PluginRegistryView } from './plugin-context.js';
import type {
  AdminMenuContribution,
  AdminPageContribution,
  HookDeclaration,
  ImageSizeContribution,
  ImporterContribution,
  JobContribution,
  MetadataFieldContribution,
  PermissionContribution,
  SiteRouteContribution,
  ViewHelper,
  WsMethodContribution,
} from './plugin-contributions.js';

/** What the registry holds for each kind of contribution. */
export interface ContributionValues {
  plugin: { dir: string; version: string };
  hook: HookDeclaration;
  importer: ImporterContribution;
  metadataField: MetadataFieldContribution;
  imageSize: ImageSizeContribution;
  template: { file: string };
  partial: { file: string };
  helper: ViewHelper;
  route: SiteRouteContribution;
  apiRoute: { controller: Type<unknown>; handler: string };
  wsMethod: WsMethodContribution;
  permission: PermissionContribution;
  adminPage: AdminPageContribution;
  adminMenu: AdminMenuContribution;
  table: { entity: unknown };
  migration: Type<MigrationInterface>;
  job: JobContribution;
}

export type ContributionKind = keyof ContributionValues;

/** One contribution: its kind, unique key, owner (`core` or a plugin name) and value. */
export interface Contribution<K extends ContributionKind = ContributionKind> {
  readonly kind: K;
  readonly key: string;
  readonly owner: string;
  readonly value: ContributionValues[K];
}

/** Keys core owns, by kind. A key ending in `*` reserves a prefix (`/admin/*`, `pwg.*`). */
export type Reservations = Partial<Record<ContributionKind, readonly string[]>>;

const NOUN: Record<ContributionKind, string> = {
  plugin: 'plugin name',
  hook: 'hook',
  importer: 'importer id',
  metadataField: 'metadata field key',
  imageSize: 'image size',
  template: 'template',
  partial: 'partial',
  helper: 'view helper',
  route: 'site route',
  apiRoute: 'REST route',
  wsMethod: 'ws.php method',
  permission: 'permission',
  adminPage: 'admin page',
  adminMenu: 'admin menu entry',
  table: 'table',
  migration: 'migration',
  job: 'job',
};

/** Keys compared without case: URLs, ws.php method names and metadata keys. */
const CASE_INSENSITIVE: ReadonlySet<ContributionKind> = new Set(['route', 'apiRoute', 'wsMethod', 'metadataField', 'table']);

interface Entry {
  readonly key: string;
  readonly owner: string;
  readonly value: unknown;
  readonly reserved: boolean;
}

/**
 * Every contribution of core and plugins, by kind, with conflict detection in one place: a key
 * may have one owner. Adding a batch is all or nothing, so a plugin that clashes leaves nothing
 * behind.
 */
export class PluginRegistry {
  private readonly entries = new Map<ContributionKind, Map<string, Entry>>();

  constructor(reservations: Reservations = {}) {
    for (const [kind, keys] of Object.entries(reservations) as [ContributionKind, readonly string[]][]) {
      for (const key of keys) this.table(kind).set(normalise(kind, key), { key, owner: 'core', value: undefined, reserved: true });
    }
  }

  /** Adds one contribution. @throws PluginConflictError naming both owners */
  add<K extends ContributionKind>(kind: K, key: string, owner: string, value: ContributionValues[K]): void {
    this.addAll([{ kind, key, owner, value } as Contribution]);
  }

  /** Adds contributions after checking all of them. @throws PluginConflictError naming both owners */
  addAll(items: readonly Contribution[]): void {
    const batch = new Map<string, Contribution>();
    for (const item of items) {
      const norm = `${item.kind}\u0000${normalise(item.kind, item.key)}`;
      const clash = this.find(item.kind, item.key) ?? batch.get(norm);
      if (clash) throw this.conflict(item, clash, items);
      batch.set(norm, item);
    }
    for (const item of items) {
      this.table(item.kind).set(normalise(item.kind, item.key), { key: item.key, owner: item.owner, value: item.value, reserved: false });
    }
  }

  /** The contribution with this key, if any plugin added it (not core reservations). */
  get<K extends ContributionKind>(kind: K, key: string): Contribution<K> | undefined {
    const entry = this.entries.get(kind)?.get(normalise(kind, key));
    return entry && !entry.reserved ? { kind, key: entry.key, owner: entry.owner, value: entry.value as ContributionValues[K] } : undefined;
  }

  /** Plugin contributions of one kind, in the order they were added. */
  list<K extends ContributionKind>(kind: K): Contribution<K>[] {
    return [...(this.entries.get(kind)?.values() ?? [])]
      .filter((e) => !e.reserved)
      .map((e) => ({ kind, key: e.key, owner: e.owner, value: e.value as ContributionValues[K] }));
  }

  /** Removes everything a plugin contributed. */
  removeOwner(owner: string): void {
    for (const table of this.entries.values()) {
      for (const [key, entry] of table) if (entry.owner === owner && !entry.reserved) table.delete(key);
    }
  }

  /** A read-only view for plugins (keys and owners, core reservations included). */
  view(): PluginRegistryView {
    return { keys: (kind) => [...(this.entries.get(kind as ContributionKind)?.values() ?? [])].map(({ key, owner }) => ({ key, owner })) };
  }

  private find(kind: ContributionKind, key: string): { key: string; owner: string } | undefined {
    const norm = normalise(kind, key);
    const table = this.entries.get(kind);
    if (!table) return undefined;
    const exact = table.get(norm);
    if (exact) return exact;
    for (const [reservedKey, entry] of table) {
      if (entry.reserved && reservedKey.endsWith('*') && matchesPrefix(reservedKey, norm)) return entry;
    }
    return undefined;
  }

  private conflict(item: Contribution, clash: { key: string; owner: string }, batch: readonly Contribution[]): PluginConflictError {
    const describe = (owner: string) => this.describe(owner, batch);
    const same = clash.owner === item.owner;
    const message = same
      ? `Conflict: ${describe(item.owner)} declares ${NOUN[item.kind]} "${item.key}" twice.`
      : `Conflict: ${NOUN[item.kind]} "${item.key}" is declared by ${describe(item.owner)}, but ${
          clash.key === item.key ? 'it' : `"${clash.key}"`
        } already belongs to ${describe(clash.owner)}. Rename one of them${clash.owner === 'core' ? ' (core names are reserved)' : ''}.`;
    return new PluginConflictError(item.kind, item.key, [clash.owner, item.owner], message);
  }

  private describe(owner: string, batch: readonly Contribution[]): string {
    if (owner === 'core') return 'core';
    const entry = this.entries.get('plugin')?.get(owner) ?? batch.find((c) => c.kind === 'plugin' && c.key === owner);
    const dir = (entry?.value as ContributionValues['plugin'] | undefined)?.dir;
    return dir ? `plugin "${owner}" (${dir})` : `plugin "${owner}"`;
  }

  private table(kind: ContributionKind): Map<string, Entry> {
    let table = this.entries.get(kind);
    if (!table) this.entries.set(kind, (table = new Map()));
    return table;
  }
}

/** The form in which keys are compared: routes ignore parameter names and trailing slashes. */
export function normalise(kind: ContributionKind, key: string): string {
  let k = key.trim();
  if (kind === 'route' || kind === 'apiRoute') {
    k = k.replace(/\/{2,}/g, '/').replace(/:[A-Za-z0-9_]+/g, ':').replace(/(.)\/$/, '$1');
  }
  return CASE_INSENSITIVE.has(kind) ? k.toLowerCase() : k;
}

function matchesPrefix(reserved: string, key: string): boolean {
  const prefix = reserved.slice(0, -1);
  return key.startsWith(prefix) || (/[/.]$/.test(prefix) && key === prefix.slice(0, -1));
}
