import { Errors, VitrineError } from '../common/errors.js';
import type { ActorRef } from '../hooks/hook-payloads.js';
import type { HostPluginServices } from './plugin-services.js';
import type { PluginHost } from './plugin-host.js';

/** An importer as the import screen and `vitrine import` list it. */
export interface ImporterInfo {
  id: string;
  label: string;
  description: string | null;
  /** The plugin that contributes it. */
  plugin: string;
}

/** What one import run did. */
export interface ImportRunResult {
  importer: string;
  imported: number[];
  duplicates: number[];
  failed: { item: string; reason: string }[];
}

/**
 * The importers of the enabled plugins, and how core runs one: options checked with the
 * importer's schema, then every item its `scan` yields goes through the same pipeline as an
 * upload (probe by content, dedupe by SHA-256, `photo.beforeImport`, metadata, jobs), acting for
 * `actor`. A refused item is recorded and the run goes on.
 */
export class ImporterRegistry {
  constructor(private readonly host: PluginHost) {}

  list(): ImporterInfo[] {
    return this.host.registry.list('importer').map(({ owner, value }) => ({ id: value.id, label: value.label, description: value.description ?? null, plugin: owner }));
  }

  /**
   * @throws VitrineError `importer.not_found` (404), `importer.invalid_options` (400)
   */
  async run(id: string, rawOptions: unknown, actor: ActorRef, hooks: { signal?: AbortSignal; onItem?: (name: string, outcome: 'imported' | 'duplicate' | 'failed') => void } = {}): Promise<ImportRunResult> {
    const entry = this.host.registry.get('importer', id);
    if (!entry) throw new VitrineError('not_found', 'importer.not_found', `There is no importer "${id.slice(0, 60)}". Known: ${this.list().map((i) => i.id).join(', ') || 'none'}.`);
    const importer = entry.value;
    const parsed = importer.options ? importer.options.safeParse(rawOptions ?? {}) : { success: true as const, data: rawOptions };
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      throw Errors.invalid('importer.invalid_options', `Invalid options for importer "${id}": ${fields.map((f) => `${f.path || '(options)'}: ${f.message}`).join('; ')}.`, fields);
    }
    const plugin = this.host.plugin(entry.owner)!;
    const ctx = this.host.contextFor(plugin);
    const services = ctx.services as HostPluginServices;
    const controller = new AbortController();
    hooks.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const result: ImportRunResult = { importer: id, imported: [], duplicates: [], failed: [] };
    for await (const item of importer.scan(parsed.data, { ctx, actor, signal: controller.signal })) {
      const label = item.externalId ?? item.originalName;
      try {
        const { photo, duplicate } = await services.photos.importWithOutcome(item, actor);
        (duplicate ? result.duplicates : result.imported).push(photo.id);
        hooks.onItem?.(label, duplicate ? 'duplicate' : 'imported');
      } catch (error) {
        result.failed.push({ item: label, reason: error instanceof Error ? error.message : String(error) });
        hooks.onItem?.(label, 'failed');
      }
      if (controller.signal.aborted) break;
    }
    return result;
  }
}
