import { randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineWsMethod } from '../piwigo/ws-method.registry.js';
import type { WsCall, WsMethodDefinition, WsParamSpecs } from '../piwigo/ws-method.types.js';
import type { WsContext } from '../piwigo/ws-context.types.js';
import { WsError } from '../piwigo/ws-error.js';
import { requirePwgToken } from '../piwigo/pwg-token.js';
import type { WsUploadedFile } from '../piwigo/ws-request.parser.js';
import type { WsValue } from '../piwigo/ws-values.js';
import type { WsChunkStore } from './ws-chunk.store.js';
import { WsUrls } from '../piwigo-api/ws-image.shaper.js';
import { parsePiwigoDate } from './ws-image.view.js';
import { WsImagesService, type WsInfoInput, type WsSpooledPart } from './ws-images.service.js';
import type { WsImagesDeps } from './ws-images.deps.js';
import { imageInfoOf } from './ws-images-info.methods.js';
import { IMAGE_INFO_PARAMS } from './ws-image-info.params.js';

/** Piwigo's `$conf['available_permission_levels']` maximum. */
const MAX_LEVEL = 8;

/**
 * pwg.images.addSimple, upload, uploadAsync, addChunk and add: the five ways Piwigo clients send
 * a file, each ending in {@link WsImagesService.ingest} (the REST ingest pipeline, lounge status).
 */
export function wsImageUploadMethods(deps: WsImagesDeps): WsMethodDefinition<WsParamSpecs>[] {
  const { images, chunks } = deps;
  const urls = (ctx: WsContext) => new WsUrls(ctx.http.baseUrl);

  const addSimple = defineWsMethod({
    name: 'pwg.images.addSimple',
    description: 'Add an image.<br>Use the <b>$_FILES[image]</b> field for uploading file.<br>Set the form encoding to "form-data".<br>You can update an existing photo if you define an existing image_id.',
    adminOnly: true,
    postOnly: true,
    params: {
      category: { type: 'id', default: null, array: 'force' },
      name: { default: null },
      author: { default: null },
      comment: { default: null },
      level: { type: 'int_positive', default: 0, maxValue: MAX_LEVEL },
      tags: { default: null, array: 'accept' },
      image_id: { type: 'id', default: null },
    },
    async handler(params, ctx, call) {
      const file = call.file('image');
      if (!file) throw new WsError(405, 'The image (file) is missing');
      try {
        const info = infoOf(params, call);
        const tags = WsImagesService.splitTagNames(params.tags as string | string[] | null);
        const albumIds = params.category.filter((c): c is number => typeof c === 'number');
        if (typeof params.image_id === 'number') {
          // Piwigo replaces the file of that photo (darktable's "overwrite" conflict mode).
          await images.replace(params.image_id, await fileSource(file, deps.tempDir), file.filename, albumIds, info, tags);
          return { image_id: params.image_id, url: urls(ctx).photo(params.image_id, albumIds[0]) };
        }
        const outcome = await images.ingest(await fileSource(file, deps.tempDir), file.filename, albumIds, await deps.principalOf(ctx), info, tags);
        return {
          image_id: outcome.duplicate ? String(outcome.id) : outcome.id,
          url: urls(ctx).photo(outcome.id, albumIds[0]),
        };
      } finally {
        await discard(file);
      }
    },
  });

  const upload = defineWsMethod({
    name: 'pwg.images.upload',
    description: 'Add an image.<br>Use the <b>$_FILES[file]</b> field for uploading file.<br>Set the form encoding to "form-data".',
    adminOnly: true,
    postOnly: true,
    params: {
      name: { default: null },
      category: { type: 'id', default: null, array: 'force' },
      level: { type: 'int_positive', default: 0, maxValue: MAX_LEVEL },
      format_of: { type: 'id', default: null },
      update_mode: { type: 'bool', default: false },
      pwg_token: {},
    },
    async handler(params, ctx, call) {
      const file = call.file('file');
      try {
        requirePwgToken(params, ctx);
        if (!file) throw new WsError(405, 'The file is missing');
        const albumIds = params.category.filter((c): c is number => typeof c === 'number');
        if (typeof params.format_of === 'number') throw new WsError(401, 'formats are disabled');
        const name = typeof params.name === 'string' && params.name !== '' ? params.name : file.filename;
        const chunk = intOf(requestValue(call, 'chunk'));
        const chunkCount = intOf(requestValue(call, 'chunks'));
        const principal = await deps.principalOf(ctx);
        const owner = principal.kind === 'user' ? principal.userId : 0;
        let assembledPath: string | WsSpooledPart;
        if (chunkCount !== null && chunkCount > 1) {
          const assembled = await chunks.appendSequential(owner, name, chunk ?? 0, chunkCount, fileBytes(file));
          if (!assembled) return null;
          assembledPath = assembled.path;
        } else {
          assembledPath = await fileSource(file, deps.tempDir);
        }
        const level = typeof params.level === 'number' ? params.level : 0;
        const outcome = await images.ingest(assembledPath, name, albumIds, principal, { level }, []);
        const row = await images.require(outcome.id);
        const u = urls(ctx);
        const result: Record<string, WsValue> = {
          image_id: outcome.duplicate ? String(outcome.id) : outcome.id,
          src: u.media(outcome.id, 'thumb'),
          square_src: u.media(outcome.id, 'square'),
          name: row.title,
        };
        if (albumIds.length) {
          const album = await images.albumSummary(albumIds[0]!);
          result.category = { id: album.id, nb_photos: album.nbPhotos, label: album.label };
        }
        result.add_status = 'add';
        return result;
      } finally {
        await discard(file);
      }
    },
  });

  const uploadAsync = defineWsMethod({
    name: 'pwg.images.uploadAsync',
    description: 'Upload photo by chunks in a random order.<br>Use the <b>$_FILES[file]</b> field for uploading file.<br>Start with chunk 0 (zero).<br>Set the form encoding to "form-data".<br>You can update an existing photo if you define an existing image_id.<br>Requires <b>admin</b> credentials.',
    adminOnly: true,
    postOnly: true,
    params: {
      username: { default: null },
      password: { default: null },
      chunk: { type: 'int_positive' },
      chunk_sum: {},
      chunks: { type: 'int_positive' },
      original_sum: {},
      category: { type: 'id', default: null, array: 'force' },
      filename: {},
      name: { default: null },
      author: { default: null },
      comment: { default: null },
      date_creation: { default: null },
      level: { type: 'int_positive', default: 0, maxValue: MAX_LEVEL },
      tag_ids: { default: null },
      image_id: { type: 'id', default: null },
    },
    async handler(params, ctx, call) {
      const file = call.file('file');
      try {
        if (!/^[0-9a-fA-F]{32}$/.test(String(params.original_sum))) throw new WsError(1003, 'Invalid original_sum');
        if (!file) throw new WsError(405, 'The file is missing');
        const info = infoOf(params, call);
        const tagIds = idList(params.tag_ids);
        const albumIds = params.category.filter((c): c is number => typeof c === 'number');
        const principal = await deps.principalOf(ctx);
        const owner = principal.kind === 'user' ? principal.userId : 0;
        const { received, assembled } = await chunks.putNumbered(
          owner,
          String(params.original_sum).toLowerCase(),
          Number(params.chunk),
          Number(params.chunks),
          String(params.chunk_sum),
          fileBytes(file),
        );
        if (!assembled) return { message: `chunks uploaded = ${received.join(',')}` };
        let id: number;
        if (typeof params.image_id === 'number') {
          await unlink(assembled.path).catch(() => undefined);
          id = params.image_id;
          await images.setInfo(id, info, { singleValueMode: 'replace', multipleValueMode: 'append', albums: albumIds, tagIds });
        } else {
          id = (await images.ingest(assembled.path, String(params.filename), albumIds, principal, info, [])).id;
          if (tagIds.length) await images.setInfo(id, {}, { singleValueMode: 'replace', multipleValueMode: 'append', tagIds });
        }
        return imageInfoOf(deps, id, ctx, call, { page: 0, perPage: 10 });
      } finally {
        await discard(file);
      }
    },
  });

  const addChunk = defineWsMethod({
    name: 'pwg.images.addChunk',
    description: 'Add a chunk of a file.',
    adminOnly: true,
    postOnly: true,
    params: {
      data: {},
      original_sum: {},
      type: { default: 'file' },
      position: {},
    },
    async handler(params, ctx) {
      const type = String(params.type);
      if (!['file', 'thumb', 'high'].includes(type)) throw new WsError(1003, 'Invalid type');
      const position = intOf(params.position);
      if (position === null) throw new WsError(1003, 'Invalid position');
      const data = String(params.data);
      if (!/^[A-Za-z0-9+/=\s]*$/.test(data)) throw new WsError(1003, 'Invalid data: base64 expected');
      const principal = await deps.principalOf(ctx);
      await chunks.putPositioned(principal.kind === 'user' ? principal.userId : 0, String(params.original_sum).toLowerCase(), type, position, Buffer.from(data, 'base64'));
      return null;
    },
  });

  const add = defineWsMethod({
    name: 'pwg.images.add',
    description: 'Add an image.<br>Pay attention to the fact that thumbnail_sum and high_sum are not used anymore.',
    adminOnly: true,
    params: {
      thumbnail_sum: { default: null },
      high_sum: { default: null },
      original_sum: {},
      original_filename: { default: null },
      ...IMAGE_INFO_PARAMS,
      level: { type: 'int_positive', default: 0, maxValue: MAX_LEVEL },
      check_uniqueness: { type: 'bool', default: true },
      image_id: { type: 'id', default: null },
    },
    async handler(params, ctx, call) {
      const sum = String(params.original_sum).toLowerCase();
      if (!/^[0-9a-f]{32}$/.test(sum)) throw new WsError(1003, 'Invalid original_sum');
      const principal = await deps.principalOf(ctx);
      const owner = principal.kind === 'user' ? principal.userId : 0;
      try {
        if (typeof params.image_id === 'number') await images.require(params.image_id);
        else if (params.check_uniqueness !== false && (await images.exist('md5sum', [sum])).get(sum)) throw new WsError(500, 'file already exists');
        const info = infoOf(params, call);
        const albumIds = categoriesOf(params.categories);
        const tagIds = idList(params.tag_ids);
        if (typeof params.image_id === 'number') {
          await chunks.discardPositioned(owner, sum, 'file');
          await images.setInfo(params.image_id, info, { singleValueMode: 'replace', multipleValueMode: 'append', albums: albumIds, tagIds });
          return { image_id: params.image_id, url: urls(ctx).photo(params.image_id, albumIds[0]) };
        }
        const assembled = await chunks.assemblePositioned(owner, sum, 'file');
        if (!assembled) throw new WsError(500, 'no chunks received for this original_sum');
        if (assembled.md5 !== sum) {
          await unlink(assembled.path).catch(() => undefined);
          throw new WsError(500, 'MD5 checksum merged file mismatched');
        }
        const filename = typeof params.original_filename === 'string' && params.original_filename !== '' ? params.original_filename : `${sum}.jpg`;
        const outcome = await images.ingest(assembled.path, filename, albumIds, principal, info, []);
        if (tagIds.length) await images.setInfo(outcome.id, {}, { singleValueMode: 'replace', multipleValueMode: 'append', tagIds });
        return { image_id: outcome.duplicate ? String(outcome.id) : outcome.id, url: urls(ctx).photo(outcome.id, albumIds[0]) };
      } catch (error) {
        await chunks.discardPositioned(owner, sum, 'file');
        throw error;
      }
    },
  });

  return [addSimple, upload, uploadAsync, addChunk, add] as unknown as WsMethodDefinition<WsParamSpecs>[];
}

/** The info fields of an upload or setInfo call (`date_creation` is honoured even where undeclared, as in Piwigo). */
export function infoOf(params: Readonly<Record<string, unknown>>, call: WsCall): WsInfoInput {
  const text = (v: unknown): string | null | undefined => (typeof v === 'string' ? v : v === null || v === undefined ? undefined : undefined);
  const info: WsInfoInput = {};
  const name = text(params.name);
  if (name !== undefined) info.name = name;
  const author = text(params.author);
  if (author !== undefined) info.author = author;
  const comment = text(params.comment);
  if (comment !== undefined) info.comment = comment;
  if (typeof params.level === 'number') info.level = params.level;
  const date = params.date_creation ?? (call.request.params.date_creation as unknown);
  if (typeof date === 'string' && date !== '') {
    const parsed = parsePiwigoDate(date);
    if (parsed === undefined) throw new WsError(1003, 'Invalid date_creation');
    info.dateCreation = parsed;
  }
  return info;
}

/** Piwigo's `categories` param: `"12"` or `"12,3;45,auto"` (ranks are ignored). */
export function categoriesOf(value: unknown): number[] {
  if (typeof value !== 'string' || value.trim() === '') return [];
  const ids: number[] = [];
  for (const part of value.split(';')) {
    const id = Number(part.split(',')[0]!.trim());
    if (!Number.isSafeInteger(id) || id < 1) throw new WsError(1003, 'Invalid categories');
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** A comma-separated id list (`tag_ids`, `image_id`); non-numeric entries are refused. */
export function idList(value: unknown): number[] {
  const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/[\s,;|]+/) : typeof value === 'number' ? [String(value)] : [];
  const ids: number[] = [];
  for (const item of items) {
    if (item.trim() === '') continue;
    const id = Number(item);
    if (!Number.isSafeInteger(id) || id < 1) throw new WsError(1003, 'Invalid id list');
    ids.push(id);
  }
  return ids;
}

function intOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value !== 'string' || !/^\s*\d{1,9}\s*$/.test(value)) return null;
  return Number(value);
}

/** `$_REQUEST[name]`: the body wins over the query string. */
function requestValue(call: WsCall, name: string): unknown {
  return call.request.body[name] ?? call.request.query[name];
}

/**
 * The part as ingest takes it: already hashed by the ws.php multipart reader (moved into storage
 * as is), a temp file (re-spooled), or bytes in memory (written to `tempDir` first).
 */
async function fileSource(file: WsUploadedFile, tempDir: string): Promise<string | WsSpooledPart> {
  const spooled = file as WsUploadedFile & { sha256?: unknown; md5?: unknown };
  if (file.path && typeof spooled.sha256 === 'string' && typeof spooled.md5 === 'string') {
    return { path: file.path, size: file.size, sha256: spooled.sha256, md5: spooled.md5 };
  }
  if (file.path) return file.path;
  await mkdir(tempDir, { recursive: true, mode: 0o700 });
  const path = join(tempDir, `ws-part-${randomBytes(12).toString('hex')}`);
  await writeFile(path, file.buffer ?? Buffer.alloc(0), { mode: 0o600, flag: 'wx' });
  return path;
}

function fileBytes(file: WsUploadedFile): { path: string } | { buffer: Buffer } {
  if (file.path) return { path: file.path };
  return { buffer: file.buffer ?? Buffer.alloc(0) };
}

async function discard(file: WsUploadedFile | undefined): Promise<void> {
  if (file?.path) await unlink(file.path).catch(() => undefined);
}
