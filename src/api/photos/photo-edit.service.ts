import { Injectable, Optional } from '@nestjs/common';
import { currentHookContext } from '../../hooks/hook-context.js';
import { photoRef, PHOTO_REF_COLUMNS } from '../../hooks/hook-refs.js';
import { HookRegistry } from '../../hooks/hook.registry.js';
import type { ChangeSet } from '../../hooks/hook-payloads.js';
import { MetadataFieldCatalog } from '../../plugin-host/plugin-metadata.js';
import { writeNamespace } from '../../plugin-host/plugin-services.js';
import { subject } from '@casl/ability';
import { DataSource } from 'typeorm';
import type { AppAbility } from '../../access/ability.factory.js';
import type { Principal } from '../../access/principal.js';
import { VisibilityService } from '../../access/visibility.service.js';
import { Errors } from '../../common/errors.js';
import { PhotoQueryRepository } from '../../photos/photo-query.repository.js';
import { PhotoService } from '../../photos/photo.service.js';
import { TagService } from '../../tags/tag.service.js';
import type { PrivacyLevel } from '../../users/user.entity.js';

export interface PhotoEdit {
  title?: string | null;
  description?: string | null;
  privacyLevel?: PrivacyLevel;
  /** The photo's whole tag set (names). */
  tags?: string[];
  /** Plugin metadata fields by key (validated against their declarations; null removes a value). */
  fields?: Record<string, unknown>;
}

/**
 * Edits of a photo's descriptive fields and tags, in one transaction. The photo must be visible
 * to the editor (else 404, like a missing one) and `update` must be allowed on that very photo
 * (contributors: only their own).
 */
@Injectable()
export class PhotoEditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly visibility: VisibilityService,
    private readonly tags: TagService,
    private readonly photos: PhotoService,
    @Optional() private readonly catalog: MetadataFieldCatalog = new MetadataFieldCatalog(),
    @Optional() private readonly hooks: HookRegistry = new HookRegistry(),
  ) {}

  /**
   * Deletes a photo (rows, album links and counts in one transaction, then its files; see
   * PhotoService.delete). Invisible photos are 404; `delete` must be allowed on that photo.
   */
  async remove(principal: Principal, ability: AppAbility, id: number): Promise<void> {
    const rows: { added_by: number | null }[] = await this.dataSource.query(`SELECT added_by FROM photos WHERE id = $1`, [id]);
    if (!rows[0] || !(await this.visibility.canSeePhoto(principal, id))) throw Errors.notFound('photo', id);
    if (!ability.can('delete', subject('Photo', { id, addedBy: rows[0].added_by }))) {
      throw Errors.forbidden('photo.delete_forbidden', 'You are not allowed to delete this photo.');
    }
    await this.photos.delete([id]);
  }

  /** Hooks: `photo.updated` with the changed fields, after the commit. */
  async update(principal: Principal, ability: AppAbility, id: number, edit: PhotoEdit): Promise<void> {
    const fields = edit.fields === undefined ? undefined : this.catalog.validatePatch(edit.fields);
    let changes: ChangeSet = {};
    await this.dataSource.transaction(async (em) => {
      const before = (await em.query(`SELECT title, description, privacy_level, plugin_data FROM photos WHERE id = $1`, [id]))[0];
      const rows: { id: number; added_by: number | null }[] = await em.query(`SELECT id, added_by FROM photos WHERE id = $1 FOR UPDATE`, [id]);
      const row = rows[0];
      if (!row || (await this.visibility.filterPhotoIds(principal, [id], em)).length === 0) throw Errors.notFound('photo', id);
      if (!ability.can('update', subject('Photo', { id, addedBy: row.added_by }))) {
        throw Errors.forbidden('photo.update_forbidden', 'You are not allowed to edit this photo.');
      }
      if (edit.privacyLevel !== undefined && edit.privacyLevel > principal.privacyLevel) {
        throw Errors.invalid('photo.privacy_above_own', `You can set privacy levels up to your own (${principal.privacyLevel}).`, [
          { path: 'privacyLevel', message: `at most ${principal.privacyLevel}` },
        ]);
      }
      await new PhotoQueryRepository(em).update(id, {
        title: clean(edit.title),
        description: clean(edit.description),
        privacy_level: edit.privacyLevel,
      });
      if (edit.tags !== undefined) await this.tags.setPhotoTags(em, id, edit.tags);
      for (const [plugin, values] of fields ?? []) await writeNamespace(em, id, plugin, values);
      const after = (await em.query(`SELECT title, description, privacy_level, plugin_data FROM photos WHERE id = $1`, [id]))[0];
      changes = diff(before, after, edit.tags !== undefined);
    });
    if (Object.keys(changes).length > 0 && this.hooks.subscriptions('photo.updated').length > 0) {
      const ref = photoRef((await this.dataSource.query(`SELECT ${PHOTO_REF_COLUMNS} FROM photos p WHERE p.id = $1`, [id]))[0]);
      // hook: photo.updated
      await this.hooks.doAction('photo.updated', ref, changes, currentHookContext());
    }
  }
}

/** Trims and strips NUL (Postgres refuses it); empty becomes null; undefined stays undefined. */
function clean(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const text = value.replace(/\u0000/g, '').trim();
  return text || null;
}

/** Changed fields between two reads of a photo row (plugin fields as `fields`; tags when they were set). */
function diff(before: Record<string, unknown>, after: Record<string, unknown>, tagsSet: boolean): ChangeSet {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const [column, key] of [['title', 'title'], ['description', 'description'], ['privacy_level', 'privacyLevel']] as const) {
    if (before?.[column] !== after?.[column]) out[key] = { before: before?.[column], after: after?.[column] };
  }
  if (JSON.stringify(before?.plugin_data ?? {}) !== JSON.stringify(after?.plugin_data ?? {})) out.fields = { before: before?.plugin_data, after: after?.plugin_data };
  if (tagsSet) out.tags = { before: undefined, after: undefined };
  return out;
}
