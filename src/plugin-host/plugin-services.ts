import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { subject as caslSubject } from '@casl/ability';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { AbilityFactory } from '../access/ability.factory.js';
import type { VisibilityService } from '../access/visibility.service.js';
import type { AlbumService } from '../albums/album.service.js';
import { Errors, VitrineError } from '../common/errors.js';
import type { VitrineConfig } from '../config/config.js';
import { ParamBag } from '../database/param-bag.js';
import type { ActorRef, AlbumRef, MetadataValue, PhotoRef } from '../hooks/hook-payloads.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { PhotoIngestService } from '../photos/photo-ingest.service.js';
import type { LoadedPlugin } from '../plugins/plugin.loader.js';
import type { ImportItem } from '../plugins/plugin-contributions.js';
import type { PluginDataFacade, PluginServices } from '../plugins/plugin-facades.js';
import { principalOf } from './plugin-actor.js';
import type { MetadataFieldCatalog } from './plugin-metadata.js';
import { albumRef, photoRef, PHOTO_REF_COLUMNS } from '../hooks/hook-refs.js';

/** The core services behind the facades, available once the Nest application is built. */
export interface CoreServices {
  dataSource: DataSource;
  config: VitrineConfig;
  visibility: VisibilityService;
  abilities: AbilityFactory;
  albums: AlbumService;
  ingest: PhotoIngestService;
  jobs: JobQueue;
}

/**
 * Builds the {@link PluginServices} of one plugin. Every call that reads or writes content acts
 * for an actor, re-read from the database, through the same services and visibility rules as the
 * REST API. `core()` throws before the application is built (plugins may not use services in
 * `register`).
 */
/** The plugin services, plus what core's importer runner needs (whether an import was a duplicate). */
export interface HostPluginServices extends PluginServices {
  photos: PluginServices['photos'] & {
    importWithOutcome(item: ImportItem, as: ActorRef): Promise<{ photo: PhotoRef; duplicate: boolean }>;
  };
}

export function createPluginServices(
  plugin: LoadedPlugin,
  core: () => CoreServices,
  catalog: () => MetadataFieldCatalog,
  importSource?: string,
  updateSettings: (values: unknown) => Promise<unknown> = async () => {
    throw new VitrineError('conflict', 'plugin.settings_unavailable', `Plugin "${plugin.name}" settings cannot be changed here.`);
  },
): HostPluginServices {
  const entities = new Set<unknown>(plugin.definition.entities ?? []);
  const principal = (as: ActorRef) => principalOf(as, core().dataSource);

  const data = (em?: EntityManager): PluginDataFacade => ({
    repository<T extends ObjectLiteral>(entity: EntityTarget<T>) {
      if (!entities.has(entity)) {
        throw new VitrineError('forbidden', 'plugin.foreign_entity', `Plugin "${plugin.name}" may only use the repositories of its own entities.`);
      }
      return (em ?? core().dataSource.manager).getRepository(entity);
    },
    transaction: (work) => core().dataSource.transaction((manager) => work(data(manager))),
  });

  const visibleAlbum = async (id: number, as: ActorRef) => {
    const c = core();
    if (!(await c.visibility.canSeeAlbum(await principal(as), id))) return null;
    const rows = await c.dataSource.query(`SELECT id, parent_id, name, slug, description, status, visible FROM albums WHERE id = $1`, [id]);
    return rows[0] ? albumRef(rows[0]) : null;
  };

  const requireAbility = async (as: ActorRef, action: string, subject: string, id?: number) => {
    const ability = await core().abilities.forPrincipal(await principal(as));
    const target = id === undefined ? subject : await subjectOf(subject, id);
    if (!ability.can(action as never, target as never)) throw Errors.forbidden('plugin.forbidden', `You may not ${action} this ${subject.toLowerCase()}.`);
  };

  /** A CASL subject with the fields conditions look at (`addedBy` of photos). */
  const subjectOf = async (type: string, id: number) => {
    const fields: Record<string, unknown> = { id };
    if (type === 'Photo') {
      const rows: { added_by: number | null }[] = await core().dataSource.query(`SELECT added_by FROM photos WHERE id = $1`, [id]);
      fields.addedBy = rows[0]?.added_by ?? null;
    }
    return caslSubject(type, fields);
  };

  const findOrCreateAlbumPath = async (path: readonly string[], as: ActorRef): Promise<number> => {
    let parentId: number | null = null;
    for (const name of path) {
      const rows: { id: number }[] = await core().dataSource.query(
        `SELECT id FROM albums WHERE parent_id IS NOT DISTINCT FROM $1 AND lower(name) = lower($2) ORDER BY id LIMIT 1`,
        [parentId, name],
      );
      if (rows[0]) parentId = rows[0].id;
      else {
        await requireAbility(as, 'create', 'Album');
        parentId = (await core().albums.create({ name, parentId })).id;
      }
    }
    if (parentId === null) throw Errors.invalid('import.album_path_empty', 'An album path needs at least one name.', [{ path: 'album.path', message: 'empty' }]);
    return parentId;
  };

  const services: HostPluginServices = {
    albums: {
      get: visibleAlbum,
      async children(parentId, as) {
        const c = core();
        const scope = await c.visibility.scopeFor(await principal(as));
        const rows = await c.dataSource.query(
          `SELECT id, parent_id, name, slug, description, status, visible FROM albums WHERE parent_id IS NOT DISTINCT FROM $1 ORDER BY position, id`,
          [parentId],
        );
        return rows.filter((r: { id: number }) => scope.canSeeAlbum(r.id)).map(albumRef);
      },
      async create(input, as) {
        await requireAbility(as, 'create', 'Album');
        const album = await core().albums.create({ name: input.name, parentId: input.parentId ?? null, description: input.description });
        return (await visibleAlbum(album.id, as))!;
      },
      async addPhoto(albumId, photoId, as) {
        await requireAbility(as, 'update', 'Album', albumId);
        if (!(await services.photos.get(photoId, as))) throw Errors.notFound('photo', photoId);
        await core().albums.linkPhotos(albumId, [photoId]);
      },
    },
    photos: {
      async get(id, as) {
        const c = core();
        if (!(await c.visibility.canSeePhoto(await principal(as), id))) return null;
        const rows = await c.dataSource.query(`SELECT ${PHOTO_REF_COLUMNS} FROM photos p WHERE p.id = $1`, [id]);
        return rows[0] ? photoRef(rows[0]) : null;
      },
      async list(query, as) {
        const c = core();
        const scope = await c.visibility.scopeFor(await principal(as));
        const p = new ParamBag();
        const where = [scope.photoWhere('p', p)];
        if (query.albumId !== undefined) {
          const albums = query.recursive
            ? `(SELECT descendant_id FROM album_closure WHERE ancestor_id = ${p.add(query.albumId)})`
            : `(${p.add(query.albumId)}::int)`;
          where.push(`EXISTS (SELECT 1 FROM album_photos ap WHERE ap.photo_id = p.id AND ap.album_id IN ${albums})`);
        }
        if (query.cursor) where.push(`p.id < ${p.add(Number(query.cursor) || 0)}`);
        const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
        const rows = await c.dataSource.query(
          `SELECT ${PHOTO_REF_COLUMNS} FROM photos p WHERE ${where.join(' AND ')} ORDER BY p.id DESC LIMIT ${limit + 1}`,
          p.values,
        );
        const items: PhotoRef[] = rows.slice(0, limit).map(photoRef);
        return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null };
      },
      async locations(query, as) {
        const c = core();
        const scope = await c.visibility.scopeFor(await principal(as));
        const p = new ParamBag();
        const where = [scope.photoWhere('p', p), 'p.latitude IS NOT NULL', 'p.longitude IS NOT NULL'];
        if (query.albumId !== undefined) {
          const albums = query.recursive
            ? `(SELECT descendant_id FROM album_closure WHERE ancestor_id = ${p.add(query.albumId)})`
            : `(${p.add(query.albumId)}::int)`;
          where.push(`EXISTS (SELECT 1 FROM album_photos ap WHERE ap.photo_id = p.id AND ap.album_id IN ${albums})`);
        }
        const limit = Math.min(Math.max(Math.trunc(query.limit ?? 1000), 1), 5000);
        const rows: Array<Record<string, unknown> & { latitude: number; longitude: number }> = await c.dataSource.query(
          `SELECT ${PHOTO_REF_COLUMNS}, p.latitude, p.longitude FROM photos p WHERE ${where.join(' AND ')} ORDER BY p.id DESC LIMIT ${limit}`,
          p.values,
        );
        return rows.map((r) => ({ photo: photoRef(r as never), latitude: Number(r.latitude), longitude: Number(r.longitude) }));
      },
      async update(id, patch, as) {
        await requireAbility(as, 'update', 'Photo', id);
        if (!(await services.photos.get(id, as))) throw Errors.notFound('photo', id);
        const sets: string[] = [];
        const p = new ParamBag();
        if (patch.title !== undefined) sets.push(`title = ${p.add(patch.title)}`);
        if (patch.description !== undefined) sets.push(`description = ${p.add(patch.description)}`);
        if (patch.privacyLevel !== undefined) sets.push(`privacy_level = ${p.add(patch.privacyLevel)}`);
        if (sets.length) await core().dataSource.query(`UPDATE photos SET ${sets.join(', ')}, updated_at = now() WHERE id = ${p.add(id)}`, p.values);
        return (await services.photos.get(id, as))!;
      },
      async import(item: ImportItem, as) {
        return (await services.photos.importWithOutcome(item, as)).photo;
      },
      async importWithOutcome(item: ImportItem, as: ActorRef) {
        const c = core();
        const who = await principal(as);
        if (!item.album) throw Errors.invalid('import.album_required', `Item "${item.originalName}" names no album.`, [{ path: 'album', message: 'required' }]);
        const albumId = 'id' in item.album ? item.album.id : await findOrCreateAlbumPath(item.album.path, as);
        await requireAbility(as, 'upload', 'Album', albumId);
        const source = item.source.kind === 'file'
          ? { stream: createReadStream(item.source.path) }
          : { stream: Readable.from((await item.source.open()) as AsyncIterable<Uint8Array>) };
        const result = await c.ingest.ingest({
          source,
          originalName: item.originalName,
          albumIds: [albumId],
          title: item.title ?? null,
          description: item.description ?? null,
          principal: who,
          importSource: importSource ?? plugin.name,
        });
        const id = result.photo.id;
        if (!result.duplicate) {
          if (item.privacyLevel !== undefined) await c.dataSource.query(`UPDATE photos SET privacy_level = $1 WHERE id = $2`, [item.privacyLevel, id]);
          if (item.metadata && Object.keys(item.metadata).length) await services.metadata.set(id, item.metadata, as);
        }
        const rows = await c.dataSource.query(`SELECT ${PHOTO_REF_COLUMNS} FROM photos p WHERE p.id = $1`, [id]);
        return { photo: photoRef(rows[0]), duplicate: result.duplicate };
      },
    },
    metadata: {
      async get(photoId) {
        return (await services.metadata.getMany([photoId])).get(photoId) ?? {};
      },
      async getMany(photoIds) {
        const rows: { id: number; ns: Record<string, MetadataValue> | null }[] = await core().dataSource.query(
          `SELECT id, plugin_data -> $2::text AS ns FROM photos WHERE id = ANY($1::int[])`,
          [[...photoIds], plugin.name],
        );
        return new Map(rows.map((r) => [r.id, r.ns ?? {}]));
      },
      async set(photoId, values, as) {
        await requireAbility(as, 'update', 'Photo', photoId);
        const grouped = catalog().validatePatch(values, plugin.name);
        const ns = grouped.get(plugin.name) ?? {};
        await writeNamespace(core().dataSource.manager, photoId, plugin.name, ns);
      },
    },
    access: {
      async can(actor, action, subject) {
        const ability = await core().abilities.forPrincipal(await principal(actor));
        const target = typeof subject === 'string' ? subject : await subjectOf(subject.type, subject.id);
        return ability.can(action as never, target as never);
      },
      async visiblePhotoIds(actor, photoIds) {
        return new Set(await core().visibility.filterPhotoIds(await principal(actor), [...photoIds]));
      },
    },
    media: {
      imageUrl: (photoId, size) => `/media/photos/${encodeURIComponent(String(photoId))}/${encodeURIComponent(size)}`,
      async privateDir() {
        const dir = join(core().config.dataDir, 'plugins', plugin.name);
        await mkdir(dir, { recursive: true });
        return dir;
      },
    },
    jobs: {
      async enqueue(name, payload, options) {
        const job = (plugin.definition.jobs ?? []).find((j) => j.name === name);
        if (!job) throw Errors.invalid('plugin.unknown_job', `Plugin "${plugin.name}" declares no job "${name}".`, [{ path: 'name', message: 'unknown job' }]);
        const parsed = job.payload ? job.payload.parse(payload) : payload;
        const id = await core().jobs.enqueue(`${plugin.name}.${name}`, (parsed ?? {}) as Record<string, unknown>, {
          singletonKey: options?.singletonKey,
          maxAttempts: job.retries ?? 3,
          runAfter: options?.delaySeconds ? new Date(Date.now() + options.delaySeconds * 1000) : undefined,
        });
        return id === null ? '' : String(id);
      },
    },
    data: data(),
    settings: {
      async update(values, as) {
        await requireAbility(as, 'manage', 'Plugin');
        await updateSettings(values);
      },
    },
  };
  return services;
}

/** Merges values into one plugin's namespace of `photos.plugin_data` (null removes a key). */
export async function writeNamespace(em: EntityManager, photoId: number, plugin: string, values: Record<string, MetadataValue>): Promise<void> {
  const set = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
  const removed = Object.entries(values).filter(([, v]) => v === null).map(([k]) => k);
  await em.query(
    `UPDATE photos SET plugin_data = jsonb_set(plugin_data, ARRAY[$2::text], ((COALESCE(plugin_data -> $2::text, '{}'::jsonb) || $3::jsonb) - $4::text[])), updated_at = now() WHERE id = $1`,
    [photoId, plugin, JSON.stringify(set), removed],
  );
}
