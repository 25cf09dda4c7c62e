import { createHash } from 'node:crypto';
import { isAdmin } from '../access/principal.js';
import { hasValidPwgToken, requirePwgToken } from '../piwigo/pwg-token.js';
import type { WsContext } from '../piwigo/ws-context.types.js';
import { WsError } from '../piwigo/ws-error.js';
import { defineWsMethod } from '../piwigo/ws-method.registry.js';
import type { WsCall, WsMethodDefinition, WsParamSpecs } from '../piwigo/ws-method.types.js';
import type { WsValue } from '../piwigo/ws-values.js';
import { WsImageShaper, WsUrls } from '../piwigo-api/ws-image.shaper.js';
import { imageInfoView, type WsInfoAlbum } from './ws-image.view.js';
import type { WsImagesDeps } from './ws-images.deps.js';
import { categoriesOf, idList, infoOf } from './ws-images-upload.methods.js';
import type { LoungeRow } from './ws-images.repository.js';
import type { WsInfoInput } from './ws-images.service.js';
import { IMAGE_INFO_PARAMS } from './ws-image-info.params.js';

const MAX_LEVEL = 8;
/** `$conf['nb_comment_page']`. */
const COMMENTS_PER_PAGE = 10;

/**
 * pwg.images.exist, checkFiles, setInfo, getInfo, delete, setCategory, uploadCompleted and
 * emptyLounge, with Piwigo's signatures, checks and result shapes.
 */
export function wsImageInfoMethods(deps: WsImagesDeps): WsMethodDefinition<WsParamSpecs>[] {
  const { images } = deps;

  const exist = defineWsMethod({
    name: 'pwg.images.exist',
    description: 'Checks existence of images.<br>Give <b>md5sum_list</b> if $conf[uniqueness_mode]==md5sum. Give <b>filename_list</b> if $conf[uniqueness_mode]==filename.',
    adminOnly: true,
    params: { md5sum_list: { default: null }, filename_list: { default: null } },
    async handler(params) {
      const list = deps.uniquenessMode === 'md5sum' ? params.md5sum_list : params.filename_list;
      if (typeof list !== 'string' || list === '') return [];
      const values = [...new Set(list.split(/[\s,;|]+/).filter((v) => v !== ''))].slice(0, 10_000);
      return images.exist(deps.uniquenessMode, values);
    },
  });

  const checkFiles = defineWsMethod({
    name: 'pwg.images.checkFiles',
    description: 'Checks if you have updated version of your files for a given photo, the answer can be "missing", "equals" or "differs".<br>Don\'t use "thumbnail_sum" and "high_sum", these parameters are here for backward compatibility.',
    adminOnly: true,
    params: { image_id: { type: 'id' }, file_sum: { default: null }, thumbnail_sum: { default: null }, high_sum: { default: null } },
    async handler(params) {
      const row = await images.require(params.image_id);
      const result: Record<string, string> = {};
      if (typeof params.thumbnail_sum === 'string') result.thumbnail = 'equals';
      let compare: string | null = null;
      if (typeof params.high_sum === 'string') {
        result.file = 'equals';
        compare = 'high';
      } else if (typeof params.file_sum === 'string') {
        compare = 'file';
      }
      if (compare) {
        const sum = compare === 'high' ? params.high_sum : params.file_sum;
        result[compare] = row.md5 !== null && row.md5 === String(sum).toLowerCase() ? 'equals' : 'differs';
      }
      return result;
    },
  });

  const setInfo = defineWsMethod({
    name: 'pwg.images.setInfo',
    description: 'Changes properties of an image.<br><b>single_value_mode</b> can be "fill_if_empty" (only use the input value if the corresponding values is currently empty) or "replace" (overwrite any existing value) and applies to single values properties like name/author/date_creation/comment.<br><b>multiple_value_mode</b> can be "append" (no change on existing values, add the new values) or "replace" and applies to multiple values properties like tag_ids/categories.',
    adminOnly: true,
    postOnly: true,
    params: {
      image_id: { type: 'id' },
      file: { default: null },
      ...IMAGE_INFO_PARAMS,
      level: { type: 'int_positive', default: null, maxValue: MAX_LEVEL },
      single_value_mode: { default: 'fill_if_empty' },
      multiple_value_mode: { default: 'append' },
      pwg_token: { default: null },
    },
    async handler(params, ctx, call) {
      const single = String(params.single_value_mode);
      if (single !== 'fill_if_empty' && single !== 'replace') throw new WsError(1003, 'Invalid single_value_mode');
      const multiple = String(params.multiple_value_mode);
      if (multiple !== 'append' && multiple !== 'replace') throw new WsError(1003, 'Invalid multiple_value_mode');
      const info: WsInfoInput = infoOf(params, call);
      if (!hasValidPwgToken(params, ctx)) {
        // Piwigo strips HTML (but <b><strong><em><i>) from texts sent without a valid token.
        for (const key of ['name', 'author', 'comment'] as const) if (typeof info[key] === 'string') info[key] = stripTags(info[key]);
      }
      if (typeof params.file === 'string' && params.file !== '') info.file = params.file;
      await images.setInfo(params.image_id, info, {
        singleValueMode: single,
        multipleValueMode: multiple,
        albums: typeof params.categories === 'string' && params.categories !== '' ? categoriesOf(params.categories) : undefined,
        tagIds: typeof params.tag_ids === 'string' || Array.isArray(params.tag_ids) ? idList(params.tag_ids) : undefined,
      });
      return null;
    },
  });

  const getInfo = defineWsMethod({
    name: 'pwg.images.getInfo',
    description: 'Returns information about an image.',
    params: {
      image_id: { type: 'id' },
      comments_page: { type: 'int_positive', default: 0 },
      comments_per_page: { type: 'int_positive', default: COMMENTS_PER_PAGE, maxValue: 2 * COMMENTS_PER_PAGE },
    },
    async handler(params, ctx, call) {
      const page = typeof params.comments_page === 'number' ? params.comments_page : 0;
      const perPage = typeof params.comments_per_page === 'number' ? params.comments_per_page : COMMENTS_PER_PAGE;
      return imageInfoOf(deps, params.image_id, ctx, call, { page, perPage });
    },
  });

  const remove = defineWsMethod({
    name: 'pwg.images.delete',
    description: 'Deletes image(s).',
    adminOnly: true,
    postOnly: true,
    params: { image_id: { array: 'accept' }, pwg_token: {} },
    async handler(params, ctx) {
      requirePwgToken(params, ctx);
      const ids = idList(params.image_id);
      if (!ids.length) return 0;
      return images.delete(ids);
    },
  });

  const setCategory = defineWsMethod({
    name: 'pwg.images.setCategory',
    description: 'Manage associations of images with an album. <b>action</b> can be: associate/dissociate/move',
    adminOnly: true,
    postOnly: true,
    params: {
      image_id: { type: 'id', array: 'force' },
      category_id: { type: 'id' },
      action: { default: 'associate', enum: ['associate', 'dissociate', 'move'], enumError: 'Invalid action' },
      pwg_token: {},
    },
    async handler(params, ctx) {
      requirePwgToken(params, ctx);
      const action = String(params.action) as 'associate' | 'dissociate' | 'move';
      const ids = params.image_id.filter((x): x is number => typeof x === 'number');
      await images.setCategory(ids, params.category_id, action);
      return null;
    },
  });

  const uploadCompleted = defineWsMethod({
    name: 'pwg.images.uploadCompleted',
    description: 'Notifiy Piwigo you have finished uploading a set of photos. It will empty the lounge, if any.',
    adminOnly: true,
    params: { image_id: { type: 'id', default: null, array: 'force' }, pwg_token: {}, category_id: { type: 'id' } },
    async handler(params, ctx) {
      requirePwgToken(params, ctx);
      const moved = await images.emptyLounge();
      // hook: ws_images_uploadCompleted — plugins learn which photos arrived (Piwigo's event).
      const album = await images.albumSummary(params.category_id).catch(() => {
        throw new WsError(404, 'category_id not found');
      });
      return {
        moved_from_lounge: loungeView(moved),
        category: { id: album.id, nb_photos: String(album.nbPhotos), label: album.label },
      };
    },
  });

  const emptyLounge = defineWsMethod({
    name: 'pwg.images.emptyLounge',
    description: 'Empty lounge, where images may be waiting before taking off.',
    adminOnly: true,
    async handler() {
      return { rows: loungeView(await images.emptyLounge()) };
    },
  });

  const checkUpload = defineWsMethod({
    name: 'pwg.images.checkUpload',
    description: 'Checks if Piwigo is ready for upload.',
    adminOnly: true,
    handler() {
      // Vitrine's storage directories are created and checked at start-up.
      return { message: null, ready_for_upload: true };
    },
  });

  return [checkUpload, exist, checkFiles, setInfo, getInfo, remove, setCategory, uploadCompleted, emptyLounge] as unknown as WsMethodDefinition<WsParamSpecs>[];
}

/**
 * `pwg.images.getInfo`'s result for a caller: 404 `image_id not found` when the photo does not
 * exist or the caller may not see it (lounge photos are visible to administrators only).
 */
export async function imageInfoOf(deps: WsImagesDeps, id: number, ctx: WsContext, call: WsCall, comments: { page: number; perPage: number }): Promise<WsValue> {
  const principal = await deps.principalOf(ctx);
  const row = await deps.images.find(id);
  if (!row) throw new WsError(404, 'image_id not found');
  const admin = isAdmin(principal);
  if (!admin && !(await deps.visibility.canSeePhoto(principal, id))) throw new WsError(404, 'image_id not found');
  const scope = await deps.visibility.scopeFor(principal);
  const albums: WsInfoAlbum[] = [];
  for (const albumId of await deps.images.albumIdsOf(id)) {
    if (!scope.canSeeAlbum(albumId)) continue;
    const album = await deps.albums.get(albumId);
    const path = [...(await deps.albums.ancestors(albumId)), album];
    albums.push({ id: albumId, name: album.name, slug: album.slug, uppercats: path.map((a) => a.id).join(','), globalRank: path.map((a) => a.position + 1).join('.') });
  }
  const tags = await deps.images.tagsOf(id);
  const canDownload = admin || principal.kind === 'user' || (principal.kind === 'share' && principal.allowDownload);
  return imageInfoView(row, albums, tags, {
    shaper: new WsImageShaper(deps.sizes, new WsUrls(ctx.http.baseUrl)),
    canDownload,
    format: call.format,
    commentsPage: comments.page,
    commentsPerPage: comments.perPage,
  });
}

function loungeView(rows: readonly LoungeRow[]): WsValue {
  return rows.map((r) => ({ image_id: String(r.image_id), category_id: String(r.category_id) }));
}

/** `strip_tags($text, '<b><strong><em><i>')`. */
function stripTags(text: string | null | undefined): string | null | undefined {
  if (typeof text !== 'string') return text;
  return text.replace(/<\/?(?!(?:b|strong|em|i)\b)[a-z][^>]*>/gi, '');
}

/** md5 of a string (tests and callers computing `original_sum`). */
export function md5Hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}
