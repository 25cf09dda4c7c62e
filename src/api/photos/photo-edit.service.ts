import { Injectable } from '@nestjs/common';
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

  async update(principal: Principal, ability: AppAbility, id: number, edit: PhotoEdit): Promise<void> {
    await this.dataSource.transaction(async (em) => {
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
    });
  }
}

/** Trims and strips NUL (Postgres refuses it); empty becomes null; undefined stays undefined. */
function clean(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const text = value.replace(/\u0000/g, '').trim();
  return text || null;
}
