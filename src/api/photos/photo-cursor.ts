import { z } from 'zod';
import { VitrineError } from '../../common/errors.js';
import { PHOTO_SORT_KEYS, PHOTO_SORTS, type PhotoCursor, type PhotoSort } from '../../photos/photo-query.repository.js';

const payload = z.tuple([z.enum(PHOTO_SORT_KEYS), z.string().max(2000), z.number().int().positive().max(2_147_483_647)]);

/** Opaque cursor: base64url of `[sort, key, id]`, the sort it belongs to and the last row's position. */
export function encodeCursor(sort: PhotoSort, cursor: PhotoCursor): string {
  return Buffer.from(JSON.stringify([sort, cursor.key, cursor.id])).toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} for the same sort. Anything else — garbage, a
 * cursor of another sort, a key that is not a value of the sort's type — is a 400, never a
 * database error.
 */
export function decodeCursor(raw: string, sort: PhotoSort): PhotoCursor {
  const bad = (why: string) => new VitrineError('invalid', 'validation.failed', `The cursor is not valid: ${why}.`, [{ path: 'cursor', message: why }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad('not a cursor from this API');
  }
  const result = payload.safeParse(parsed);
  if (!result.success) throw bad('not a cursor from this API');
  const [cursorSort, key, id] = result.data;
  if (cursorSort !== sort) throw bad(`it belongs to sort "${cursorSort}"; keep the sort when paging`);
  const type = PHOTO_SORTS[sort].type;
  if (type === 'int' && !/^\d{1,10}$/.test(key)) throw bad('bad key');
  if (type === 'timestamptz' && (!/^\d{4}-\d{2}-\d{2}[ T][\d:.]+([+-]\d{2}(:?\d{2})?|Z)?$/.test(key) || Number.isNaN(Date.parse(key.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'))))) {
    throw bad('bad key');
  }
  return { key, id };
}
