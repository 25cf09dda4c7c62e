import { z } from 'zod';

/** Largest page of any list. */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** A positive id sent as a query-string value. */
export const queryId = z.string().regex(/^\d{1,10}$/, 'must be a positive integer').transform(Number).pipe(z.number().int().positive().max(2_147_483_647));

/** `limit` of a list, 1..200. */
export const queryLimit = z.string().regex(/^\d{1,4}$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(MAX_PAGE_SIZE));

/** `true`/`false` (also `1`/`0`) in a query string. */
export const queryBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** An ISO-8601 date or date-time in a query string. */
export const queryDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** A free-text query, bounded. */
export const queryText = z.string().trim().min(1).max(200);
