import { VitrineError } from '../common/errors.js';
import type { MetadataValue } from '../hooks/hook-payloads.js';
import type { PluginRegistry } from '../plugins/plugin.registry.js';
import type { MetadataFieldContribution } from '../plugins/plugin-contributions.js';

/** A plugin metadata field with its owner. */
export interface OwnedField {
  plugin: string;
  field: MetadataFieldContribution;
}

/** Longest string a metadata field may hold. */
export const METADATA_STRING_MAX = 1000;

/**
 * The metadata fields of the enabled plugins, by key (keys are unique across plugins and core,
 * checked at start-up). Values live in `photos.plugin_data` as `{ "<plugin>": { "<key>": v } }`.
 */
export class MetadataFieldCatalog {
  private readonly byKey = new Map<string, OwnedField>();

  constructor(fields: readonly OwnedField[] = []) {
    for (const f of fields) this.byKey.set(f.field.key, f);
  }

  static fromRegistry(registry: PluginRegistry): MetadataFieldCatalog {
    return new MetadataFieldCatalog(registry.list('metadataField').map((c) => ({ plugin: c.owner, field: c.value })));
  }

  get(key: string): OwnedField | undefined {
    return this.byKey.get(key);
  }

  all(): OwnedField[] {
    return [...this.byKey.values()];
  }

  ofPlugin(plugin: string): OwnedField[] {
    return this.all().filter((f) => f.plugin === plugin);
  }

  searchable(): OwnedField[] {
    return this.all().filter((f) => f.field.searchable);
  }

  /**
   * Flattens stored plugin data into `{ key: value }` for output; `publicOnly` drops fields not
   * marked `public` (visitors); fields of plugins no longer enabled are left out.
   */
  flatten(pluginData: Record<string, unknown> | null | undefined, publicOnly: boolean): Record<string, MetadataValue> {
    const out: Record<string, MetadataValue> = {};
    if (!pluginData) return out;
    for (const { plugin, field } of this.all()) {
      if (publicOnly && !field.public) continue;
      const ns = pluginData[plugin];
      if (!ns || typeof ns !== 'object') continue;
      const value = (ns as Record<string, unknown>)[field.key];
      if (value !== undefined && value !== null) out[field.key] = value as MetadataValue;
    }
    return out;
  }

  /**
   * Validates a patch of `{ key: value }` (any plugin's keys; null removes) and groups it by plugin.
   * @throws VitrineError `invalid` (400) `photo.invalid_metadata`, one field problem per bad key
   */
  validatePatch(patch: Record<string, unknown>, onlyPlugin?: string): Map<string, Record<string, MetadataValue>> {
    const byPlugin = new Map<string, Record<string, MetadataValue>>();
    const problems: { path: string; message: string }[] = [];
    for (const [key, raw] of Object.entries(patch)) {
      const owned = this.byKey.get(key);
      if (!owned || (onlyPlugin !== undefined && owned.plugin !== onlyPlugin)) {
        problems.push({ path: `metadata.${key}`, message: onlyPlugin ? `plugin "${onlyPlugin}" declares no metadata field "${key}"` : 'unknown metadata field' });
        continue;
      }
      const checked = checkValue(owned.field, raw);
      if (typeof checked === 'object' && checked !== null && 'error' in checked) problems.push({ path: `metadata.${key}`, message: checked.error });
      else {
        const ns = byPlugin.get(owned.plugin) ?? {};
        ns[key] = checked as MetadataValue;
        byPlugin.set(owned.plugin, ns);
      }
    }
    if (problems.length > 0) {
      throw new VitrineError('invalid', 'photo.invalid_metadata', `Invalid metadata: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}.`, problems);
    }
    return byPlugin;
  }
}

/** Type-checks one value (null always allowed: it removes the value); dates are stored as ISO strings. */
export function checkValue(field: MetadataFieldContribution, raw: unknown): MetadataValue | { error: string } {
  if (raw === null) return null;
  let value: MetadataValue;
  switch (field.type) {
    case 'string':
      if (typeof raw !== 'string') return { error: 'must be a string' };
      if (raw.length > METADATA_STRING_MAX) return { error: `must be at most ${METADATA_STRING_MAX} characters` };
      value = raw;
      break;
    case 'number':
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return { error: 'must be a finite number' };
      value = raw;
      break;
    case 'boolean':
      if (typeof raw !== 'boolean') return { error: 'must be true or false' };
      value = raw;
      break;
    case 'date': {
      const date = raw instanceof Date ? raw : typeof raw === 'string' ? new Date(raw) : undefined;
      if (!date || Number.isNaN(date.getTime())) return { error: 'must be an ISO 8601 date' };
      value = date.toISOString();
      break;
    }
    case 'enum':
      if (typeof raw !== 'string' || !(field.values ?? []).includes(raw)) return { error: `must be one of ${(field.values ?? []).join(', ')}` };
      value = raw;
      break;
  }
  const message = field.validate?.(value);
  return message ? { error: message } : value;
}
