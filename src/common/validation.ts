import { z } from 'zod';
import { VitrineError } from './errors.js';

/**
 * Parses request input with a zod schema. Object schemas should be `z.strictObject` so unknown
 * fields are refused. Failures become one `invalid` VitrineError listing every failing field,
 * which the problem filter renders as 400 problem+json with `errors`.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  throw new VitrineError('invalid', 'validation.failed', `The ${what} is not valid: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}.`, fields);
}

/** A positive integer id from a path segment, or a 404 (ids that cannot exist are simply not found). */
export function parseId(raw: string, entity: string): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > 2_147_483_647) {
    throw new VitrineError('not_found', `${entity}.not_found`, `${entity.charAt(0).toUpperCase()}${entity.slice(1)} ${raw.slice(0, 40)} does not exist.`);
  }
  return Number(raw);
}

export const idList = z.array(z.number().int().positive().max(2_147_483_647)).max(10_000);
