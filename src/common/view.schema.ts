import { z } from 'zod';

/**
 * Building blocks of the response schemas. Each view's zod schema is its contract: the TypeScript
 * type is inferred from it and the OpenAPI response is generated from it (see ApiDoc `response`).
 */

/** A date column as ISO-8601 (UTC, `Z`), or null. */
export const isoDate = z.iso.datetime().nullable();

/** A reference to a named thing (album, tag). */
export const refSchema = z.object({ id: z.number().int(), name: z.string(), slug: z.string() });

/** RFC 9457 problem details, the body of every error answer (see src/common/problem.filter.ts). */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  /** Stable machine-readable code, e.g. `album.not_found`. */
  code: z.string(),
  instance: z.string().optional(),
  /** The failing fields of a validation error. */
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
