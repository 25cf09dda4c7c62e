import { Injectable, Optional } from '@nestjs/common';
import { currentHookContext } from '../hooks/hook-context.js';
import { albumRef } from '../hooks/hook-refs.js';
import { HookRegistry } from '../hooks/hook.registry.js';
import { DataSource, type EntityManager } from 'typeorm';
import { Errors, VitrineError } from '../common/errors.js';
import { isValidSlug, slugify } from '../common/slug.js';
import type { Album, AlbumStatus, AlbumTreeNode } from './album.entity.js';
import { AlbumRepository } from './album.repository.js';
import { bumpAccessEpoch } from '../access/access-epoch.js';

export interface CreateAlbumInput {
  name: string;
  parentId?: number | null;
  description?: string | null;
  /** Explicit slug; when absent one is derived from the name and made unique among siblings. */
  slug?: string;
  status?: AlbumStatus;
  visible?: boolean;
  /** Position among siblings; default: last. */
  position?: number;
}

export interface UpdateAlbumInput {
  name?: string;
  description?: string | null;
  slug?: string;
  status?: AlbumStatus;
  visible?: boolean;
}

/** What to do with photos that would belong to no album once an album subtree is deleted. */
export type OrphanPolicy = 'delete' | 'keep';

export interface DeleteAlbumResult {
  deletedAlbumIds: number[];
  /** Photos removed because they were linked only inside the deleted subtree. */
  deletedPhotoIds: number[];
  /** Photos left without any album (policy `keep`). */
  orphanedPhotoIds: number[];
}

/**
 * Receives the ids of photo rows removed as a side effect of album deletion, inside the same
 * transaction, so that the media layer can schedule file removal. The default does nothing.
 */
export interface PhotoRemovalListener {
  photosRemoved(photoIds: number[], em: EntityManager): Promise<void>;
}

const MAX_NAME = 255;
const MAX_DESCRIPTION = 20_000;

/**
 * The rules of the album tree: naming, slugs, moves without cycles, sibling order, photo links,
 * representatives and exact cached counts. Every public method runs in one transaction.
 */
@Injectable()
export class AlbumService {
  private removalListener: PhotoRemovalListener | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly hooks: HookRegistry = new HookRegistry(),
  ) {}

  /** Registers who is told about photo rows deleted with an album. */
  setPhotoRemovalListener(listener: PhotoRemovalListener): void {
    this.removalListener = listener;
  }

  private tx<T>(work: (repo: AlbumRepository, em: EntityManager) => Promise<T>, em?: EntityManager): Promise<T> {
    if (em) return work(new AlbumRepository(em), em);
    return this.dataSource.transaction((manager) => work(new AlbumRepository(manager), manager));
  }

  async get(id: number, em?: EntityManager): Promise<Album> {
    const album = await new AlbumRepository(em ?? this.dataSource.manager).findById(id);
    if (!album) throw Errors.notFound('album', id);
    return album;
  }

  /** Direct children of an album (null: the top level), in their order. */
  children(parentId: number | null): Promise<Album[]> {
    return new AlbumRepository(this.dataSource.manager).children(parentId);
  }

  /** Ancestors from the top level down to the parent. */
  async ancestors(id: number): Promise<Album[]> {
    await this.get(id);
    return new AlbumRepository(this.dataSource.manager).ancestors(id);
  }

  /** Every album below this one, shallowest first, as tree nodes (no description or timestamps). */
  async descendants(id: number): Promise<AlbumTreeNode[]> {
    await this.get(id);
    return new AlbumRepository(this.dataSource.manager).descendants(id);
  }

  /** Hooks: `album.created` after the commit (only when this call owns the transaction, i.e. no `em`). */
  async create(input: CreateAlbumInput, em?: EntityManager): Promise<Album> {
    const album = await this.tx(async (repo, manager) => {
      const name = cleanName(input.name);
      const description = cleanDescription(input.description);
      const parentId = input.parentId ?? null;
      const parent = parentId === null ? null : await repo.findByIdForUpdate(parentId);
      if (parentId !== null && !parent) throw Errors.notFound('album', parentId);
      const slug = await this.chooseSlug(repo, parentId, name, input.slug);
      const siblings = await repo.siblingCount(parentId);
      const position = clampPosition(input.position, siblings);
      if (position < siblings) await repo.shiftPositions(parentId, position);
      const id = await repo.insert({
        parentId,
        name,
        slug,
        description,
        status: input.status ?? 'public',
        visible: input.visible ?? true,
        position,
        depth: parent ? parent.depth + 1 : 0,
      });
      if (parentId !== null) await repo.refreshCounts(await repo.selfAndAncestorIds(parentId));
      await bumpAccessEpoch(manager);
      return (await repo.findById(id))!;
    }, em);
    // hook: album.created
    if (!em) await this.hooks.doAction('album.created', albumRef(album), currentHookContext());
    return album;
  }

  /** Hooks: `album.updated` with the changed fields, after the commit (no `em`). */
  async update(id: number, input: UpdateAlbumInput, em?: EntityManager): Promise<Album> {
    let before: Album | undefined;
    const after = await this.tx(async (repo, manager) => {
      const album = await repo.findByIdForUpdate(id);
      if (!album) throw Errors.notFound('album', id);
      before = { ...album };
      const fields: UpdateAlbumInput = {};
      if (input.name !== undefined) fields.name = cleanName(input.name);
      if (input.description !== undefined) fields.description = cleanDescription(input.description);
      if (input.status !== undefined) {
        if (input.status !== 'public' && input.status !== 'private') {
          throw Errors.invalid('album.invalid_status', 'Status must be "public" or "private".', [{ path: 'status', message: 'public or private' }]);
        }
        fields.status = input.status;
      }
      if (input.visible !== undefined) fields.visible = input.visible;
      if (input.slug !== undefined && input.slug !== album.slug) {
        fields.slug = await this.chooseSlug(repo, album.parentId, fields.name ?? album.name, input.slug, id);
      }
      if (Object.keys(fields).length > 0) await repo.update(id, fields);
      if (fields.status !== undefined || fields.visible !== undefined) await bumpAccessEpoch(manager);
      return (await repo.findById(id))!;
    }, em);
    const changes = changeSet(before!, after, ['name', 'description', 'slug', 'status', 'visible']);
    // hook: album.updated
    if (!em && Object.keys(changes).length > 0) await this.hooks.doAction('album.updated', albumRef(after), changes, currentHookContext());
    return after;
  }

  rename(id: number, name: string): Promise<Album> {
    return this.update(id, { name });
  }

  describe(id: number, description: string | null): Promise<Album> {
    return this.update(id, { description });
  }

  /**
   * Moves an album (with its subtree) under `newParentId`, or to the top level with null.
   * Refuses to move an album into itself or one of its descendants.
   */
  /** Hooks: `album.moved` after the commit when the parent changed (no `em`). */
  async move(id: number, newParentId: number | null, position?: number, em?: EntityManager): Promise<Album> {
    let fromParentId: number | null = null;
    const moved = await this.tx(async (repo, manager) => {
      const album = await repo.findByIdForUpdate(id);
      if (!album) throw Errors.notFound('album', id);
      let newDepth = 0;
      if (newParentId !== null) {
        const parent = await repo.findByIdForUpdate(newParentId);
        if (!parent) throw Errors.notFound('album', newParentId);
        if (await repo.isSelfOrDescendant(id, newParentId)) {
          throw new VitrineError(
            'conflict',
            'album.move_cycle',
            newParentId === id
              ? `Album ${id} cannot be moved into itself.`
              : `Album ${id} cannot be moved into album ${newParentId}, which is inside it.`,
          );
        }
        newDepth = parent.depth + 1;
      }
      const oldParentId = album.parentId;
      fromParentId = oldParentId;
      if (oldParentId === newParentId) {
        if (position !== undefined) await this.placeAmongSiblings(repo, album, position);
        return (await repo.findById(id))!;
      }
      if (await repo.slugTaken(newParentId, album.slug, id)) {
        throw Errors.conflict('album.slug_taken', `The destination already holds an album with the slug "${album.slug}". Rename one of them first.`);
      }
      const oldAncestors = oldParentId === null ? [] : await repo.selfAndAncestorIds(oldParentId);
      const siblings = await repo.siblingCount(newParentId);
      const target = clampPosition(position, siblings);
      if (target < siblings) await repo.shiftPositions(newParentId, target);
      await repo.moveSubtree(id, newParentId, newDepth - album.depth, target);
      await repo.compactPositions(oldParentId);
      const newAncestors = newParentId === null ? [] : await repo.selfAndAncestorIds(newParentId);
      await repo.refreshCounts([...new Set([...oldAncestors, ...newAncestors])]);
      await repo.clearStaleRepresentatives(oldAncestors);
      await bumpAccessEpoch(manager);
      return (await repo.findById(id))!;
    }, em);
    // hook: album.moved
    if (!em && fromParentId !== moved.parentId) {
      await this.hooks.doAction('album.moved', albumRef(moved), { fromParentId, toParentId: moved.parentId }, currentHookContext());
    }
    return moved;
  }

  /** Sets the order of the children of `parentId`; `orderedIds` must list exactly those children. */
  reorder(parentId: number | null, orderedIds: number[]): Promise<Album[]> {
    return this.tx(async (repo) => {
      if (parentId !== null && !(await repo.findByIdForUpdate(parentId))) throw Errors.notFound('album', parentId);
      const children = await repo.children(parentId);
      const expected = new Set(children.map((c) => c.id));
      const given = new Set(orderedIds);
      if (given.size !== orderedIds.length || given.size !== expected.size || [...given].some((x) => !expected.has(x))) {
        throw Errors.invalid(
          'album.reorder_mismatch',
          `The new order must list each sub-album of ${parentId === null ? 'the top level' : `album ${parentId}`} exactly once (${expected.size} albums).`,
          [{ path: 'order', message: 'must be a permutation of the current children' }],
        );
      }
      await repo.setPositions(orderedIds);
      return repo.children(parentId);
    });
  }

  /** Sets (or with null clears) the photo that represents the album; it must be in the album's subtree. */
  setRepresentative(id: number, photoId: number | null): Promise<Album> {
    return this.tx(async (repo) => {
      const album = await repo.findByIdForUpdate(id);
      if (!album) throw Errors.notFound('album', id);
      if (photoId !== null && !(await repo.photoInSubtree(id, photoId))) {
        throw Errors.invalid('album.representative_not_in_album', `Photo ${photoId} is not in album ${id} or its sub-albums.`, [
          { path: 'photoId', message: 'must be a photo of this album' },
        ]);
      }
      await repo.update(id, { representativePhotoId: photoId });
      return (await repo.findById(id))!;
    });
  }

  /** Links photos to the album (already linked ones are left as they are). Returns the newly linked ids. */
  linkPhotos(albumId: number, photoIds: number[], em?: EntityManager): Promise<number[]> {
    return this.tx(async (repo) => {
      if ((await repo.lockForUpdate([albumId])).length === 0) throw Errors.notFound('album', albumId);
      const ids = [...new Set(photoIds)];
      const existing = new Set(await repo.existingPhotoIds(ids));
      const missing = ids.filter((x) => !existing.has(x));
      if (missing.length) throw Errors.notFound('photo', missing.join(', '));
      const linked = await repo.link(albumId, ids);
      await repo.applyTotalDelta(albumId, linked, 1);
      return linked;
    }, em);
  }

  /**
   * Links a photo that `em`'s transaction has just inserted (ingest) to albums: one lock for all
   * of them, no check that the photo exists, same counts as {@link linkPhotos}.
   * @throws VitrineError `album.not_found` (404) for the first album that does not exist.
   */
  async linkNewPhoto(albumIds: number[], photoId: number, em: EntityManager): Promise<void> {
    const repo = new AlbumRepository(em);
    const ids = [...new Set(albumIds)];
    const locked = new Set(await repo.lockForUpdate(ids));
    const missing = ids.find((id) => !locked.has(id));
    if (missing !== undefined) throw Errors.notFound('album', missing);
    for (const albumId of ids) await repo.applyTotalDelta(albumId, await repo.link(albumId, [photoId]), 1);
  }

  /** Unlinks photos from the album. Returns the ids that were linked. */
  unlinkPhotos(albumId: number, photoIds: number[], em?: EntityManager): Promise<number[]> {
    return this.tx(async (repo) => {
      if ((await repo.lockForUpdate([albumId])).length === 0) throw Errors.notFound('album', albumId);
      const removed = await repo.unlink(albumId, [...new Set(photoIds)]);
      await repo.applyTotalDelta(albumId, removed, -1);
      await repo.clearStaleRepresentatives(await repo.selfAndAncestorIds(albumId));
      return removed;
    }, em);
  }

  /** Photo ids of the album in their order. */
  async photoIds(albumId: number): Promise<number[]> {
    await this.get(albumId);
    return new AlbumRepository(this.dataSource.manager).photoIdsOf(albumId);
  }

  /**
   * Deletes the album and every album below it. Photos linked only inside the subtree are
   * deleted (`delete`) or left without album (`keep`); photos also linked elsewhere stay.
   */
  /** Hooks: `album.deleted` with a snapshot and the removed ids, after the commit (no `em`). */
  async delete(id: number, orphans: OrphanPolicy, em?: EntityManager): Promise<DeleteAlbumResult> {
    let snapshot: Album | undefined;
    const result = await this.tx(async (repo, manager) => {
      const album = await repo.findByIdForUpdate(id);
      if (!album) throw Errors.notFound('album', id);
      snapshot = { ...album };
      const subtree = await repo.subtreeIds(id);
      const onlyHere = await repo.photosOnlyIn(subtree);
      const ancestors = album.parentId === null ? [] : await repo.selfAndAncestorIds(album.parentId);
      await repo.deleteMany(subtree);
      let deletedPhotoIds: number[] = [];
      if (orphans === 'delete' && onlyHere.length) {
        await manager.query(`DELETE FROM photos WHERE id = ANY($1::int[])`, [onlyHere]);
        deletedPhotoIds = onlyHere;
        await this.removalListener?.photosRemoved(onlyHere, manager);
      }
      await repo.compactPositions(album.parentId);
      await repo.refreshCounts(ancestors);
      await repo.clearStaleRepresentatives(ancestors);
      await bumpAccessEpoch(manager);
      return { deletedAlbumIds: subtree, deletedPhotoIds, orphanedPhotoIds: orphans === 'keep' ? onlyHere : [] };
    }, em);
    // hook: album.deleted
    if (!em) {
      await this.hooks.doAction('album.deleted', albumRef(snapshot!), { albumIds: result.deletedAlbumIds, photoIds: result.deletedPhotoIds }, currentHookContext());
    }
    return result;
  }

  /** Recomputes every cached count (repair; `vitrine doctor`). */
  refreshAllCounts(): Promise<void> {
    return this.tx((repo) => repo.refreshAllCounts());
  }

  private async placeAmongSiblings(repo: AlbumRepository, album: Album, position: number): Promise<void> {
    const siblings = (await repo.children(album.parentId)).map((s) => s.id).filter((x) => x !== album.id);
    siblings.splice(clampPosition(position, siblings.length), 0, album.id);
    await repo.setPositions(siblings);
  }

  private async chooseSlug(repo: AlbumRepository, parentId: number | null, name: string, explicit?: string, exceptId?: number): Promise<string> {
    if (explicit !== undefined) {
      if (!isValidSlug(explicit)) {
        throw Errors.invalid('album.invalid_slug', `"${explicit}" is not a valid slug: use lower-case letters, digits and single hyphens.`, [
          { path: 'slug', message: 'lower-case letters, digits and hyphens' },
        ]);
      }
      if (await repo.slugTaken(parentId, explicit, exceptId)) {
        throw Errors.conflict('album.slug_taken', `Another album at this level already uses the slug "${explicit}".`);
      }
      return explicit;
    }
    const base = slugify(name, 'album');
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (!(await repo.slugTaken(parentId, candidate, exceptId))) return candidate;
    }
  }
}

function cleanName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.replace(/[\u0000-\u001f\u007f]/g, ' ').trim() : '';
  if (!name) throw Errors.invalid('album.name_required', 'An album needs a name.', [{ path: 'name', message: 'must not be empty' }]);
  if (name.length > MAX_NAME) {
    throw Errors.invalid('album.name_too_long', `Album names are limited to ${MAX_NAME} characters.`, [{ path: 'name', message: `at most ${MAX_NAME} characters` }]);
  }
  return name;
}

function cleanDescription(raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null) return null;
  const text = raw.replace(/\u0000/g, '').trim();
  if (text.length > MAX_DESCRIPTION) {
    throw Errors.invalid('album.description_too_long', `Descriptions are limited to ${MAX_DESCRIPTION} characters.`, [
      { path: 'description', message: `at most ${MAX_DESCRIPTION} characters` },
    ]);
  }
  return text || null;
}

function clampPosition(position: number | undefined, siblings: number): number {
  if (position === undefined || !Number.isFinite(position)) return siblings;
  return Math.max(0, Math.min(Math.trunc(position), siblings));
}

/** The fields that differ between two versions of a row, as a hook `ChangeSet`. */
function changeSet<T extends object>(before: T, after: T, keys: readonly (keyof T & string)[]): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of keys) if (before[key] !== after[key]) out[key] = { before: before[key], after: after[key] };
  return out;
}
