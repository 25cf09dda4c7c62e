import type { AlbumService, OrphanPolicy } from '../../albums/album.service.js';
import { VitrineError } from '../../common/errors.js';
import { defineWsMethod, hasValidPwgToken, requirePwgToken, WsError, type WsMethodDefinition } from '../../piwigo/index.js';

/** Piwigo's `strip_tags` for texts sent without a valid pwg_token (a valid one unlocks HTML). */
export function stripTags(text: string): string {
  return text.replace(/<[^>]*>?/g, '');
}

/** Ids of a `mixed` param Piwigo splits itself (`"1,2, 3"` or `p[]=1&p[]=2`); non-ids are dropped. */
export function idList(value: unknown): number[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' || typeof value === 'number' ? String(value).split(/[\s,;|]+/) : [];
  const ids = items.map((v) => (typeof v === 'number' ? v : /^\d{1,9}$/.test(String(v).trim()) ? Number(String(v).trim()) : NaN));
  return [...new Set(ids.filter((id) => Number.isInteger(id) && id > 0))];
}

const STATUS_ERROR = 'Invalid status';

/**
 * `pwg.categories.add|setInfo|move|delete|setRepresentative` over {@link AlbumService} (its rules,
 * transactions and access-epoch bumps). New albums go first among their siblings, as Piwigo's
 * `newcat_default_position = 'first'`.
 */
export function categoryWriteWsMethods(albums: AlbumService): WsMethodDefinition[] {
  const add = defineWsMethod({
    name: 'pwg.categories.add',
    description: 'Adds an album.',
    adminOnly: true,
    params: {
      name: {},
      parent: { type: 'int_positive', default: null },
      comment: { default: null },
      visible: { type: 'bool', default: true },
      status: { default: null, info: 'public, private' },
      commentable: { type: 'bool', default: true },
      position: { default: null, info: 'first, last' },
      pwg_token: { default: null },
    },
    async handler(params, ctx) {
      if (params.status !== null && params.status !== '' && params.status !== 'public' && params.status !== 'private') return new WsError(1003, STATUS_ERROR);
      const html = hasValidPwgToken(params, ctx);
      const comment = typeof params.comment === 'string' && params.comment !== '' ? params.comment : null;
      const album = await albums.create({
        name: html ? params.name : stripTags(params.name),
        parentId: typeof params.parent === 'number' && params.parent > 0 ? params.parent : null,
        description: comment === null ? null : html ? comment : stripTags(comment),
        status: params.status === 'private' ? 'private' : 'public',
        visible: params.visible !== false,
        position: params.position === 'last' ? undefined : 0,
      });
      return { info: 'Album added', id: album.id };
    },
  });

  const setInfo = defineWsMethod({
    name: 'pwg.categories.setInfo',
    description: 'Changes properties of an album.',
    adminOnly: true,
    postOnly: true,
    params: {
      category_id: { type: 'id' },
      name: { default: null },
      comment: { default: null },
      status: { default: null, info: 'public, private' },
      visible: { type: 'bool', default: null },
      commentable: { type: 'bool', default: null },
      apply_commentable_to_subalbums: { type: 'bool', default: null },
      pwg_token: { default: null },
    },
    async handler(params, ctx) {
      if (params.status !== null && params.status !== '' && params.status !== 'public' && params.status !== 'private') return new WsError(1003, STATUS_ERROR);
      const html = hasValidPwgToken(params, ctx);
      const clean = (text: string) => (html ? text : stripTags(text));
      await albums.update(params.category_id, {
        name: typeof params.name === 'string' && params.name !== '' ? clean(params.name) : undefined,
        description: typeof params.comment === 'string' ? (params.comment === '' ? null : clean(params.comment)) : undefined,
        status: params.status === 'public' || params.status === 'private' ? params.status : undefined,
        visible: typeof params.visible === 'boolean' ? params.visible : undefined,
      });
      return null;
    },
  });

  const move = defineWsMethod({
    name: 'pwg.categories.move',
    description: 'Move albums under another album (0 for the root).',
    adminOnly: true,
    postOnly: true,
    params: { category_id: { info: 'ids separated by comas' }, parent: { type: 'int' }, pwg_token: {} },
    async handler(params, ctx) {
      requirePwgToken(params, ctx);
      const ids = idList(params.category_id);
      if (ids.length === 0) return new WsError(1003, 'Invalid category_id input parameter, no category to move');
      if (params.parent < 0) return new WsError(1003, 'Invalid parent input parameter');
      for (const id of ids) await albums.move(id, params.parent === 0 ? null : params.parent);
      return null;
    },
  });

  const del = defineWsMethod({
    name: 'pwg.categories.delete',
    description: 'Deletes album(s). photo_deletion_mode: no_delete (photos may end in no album), delete_orphans, force_delete.',
    adminOnly: true,
    postOnly: true,
    params: {
      category_id: { array: 'accept' },
      photo_deletion_mode: { default: 'delete_orphans' },
      pwg_token: {},
    },
    async handler(params, ctx) {
      requirePwgToken(params, ctx);
      const modes: Record<string, OrphanPolicy> = { no_delete: 'keep', delete_orphans: 'delete', force_delete: 'delete' };
      const mode = modes[String(params.photo_deletion_mode)];
      if (!mode) return new WsError(1003, 'Invalid photo_deletion_mode input parameter');
      for (const id of idList(params.category_id)) {
        // Ids already gone (a sub-album of an album deleted just before, or unknown) are skipped, as Piwigo does.
        await albums.delete(id, mode).catch((error: unknown) => {
          if (!(error instanceof VitrineError && error.kind === 'not_found')) throw error;
        });
      }
      return null;
    },
  });

  const setRepresentative = defineWsMethod({
    name: 'pwg.categories.setRepresentative',
    description: 'Sets the representative photo for an album. The photo doesn\'t have to belong to the album.',
    adminOnly: true,
    postOnly: true,
    params: { category_id: { type: 'id' }, image_id: { type: 'id' } },
    async handler({ category_id, image_id }) {
      try {
        await albums.get(category_id);
      } catch (error) {
        if (error instanceof VitrineError && error.kind === 'not_found') return new WsError(404, 'category_id not found');
        throw error;
      }
      try {
        await albums.setRepresentative(category_id, image_id);
      } catch (error) {
        if (error instanceof VitrineError && (error.kind === 'not_found' || error.kind === 'invalid')) return new WsError(404, 'image_id not found');
        throw error;
      }
      return null;
    },
  });

  return [add, setInfo, move, del, setRepresentative];
}
