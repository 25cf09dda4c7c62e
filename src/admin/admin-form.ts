import { z } from 'zod';
import { parseInput } from '../common/validation.js';

/**
 * zod pieces for urlencoded admin forms: every value arrives as a string (or an array of strings
 * when a name repeats). Schemas are strict objects, so unknown fields are refused like in the API.
 */
const ID = /^\d{1,10}$/;

/** A positive id. */
export const formId = z.string().regex(ID, 'must be an id').transform(Number).pipe(z.number().int().positive().max(2_147_483_647));

/** An id or the empty option (`''` → null). */
export const formOptionalId = z.union([z.literal(''), formId]).transform((v) => (v === '' ? null : v));

/** One or many ids (`ids=1&ids=2`, `ids[]=1`, or `1,2`). */
export const formIds = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(formId).max(10_000));

/** A checkbox: present (`on`, `1`, `true`) → true; absent → false (use with `.optional()` fields). */
export const formCheckbox = z
  .union([z.enum(['on', '1', 'true']), z.array(z.string())])
  .optional()
  .transform((v) => v !== undefined);

/** Text: trimmed, NUL removed. */
export const formText = (max: number) => z.string().max(max).transform((s) => s.replace(/\u0000/g, '').trim());

/** Text where empty means null. */
export const formOptionalText = (max: number) => formText(max).transform((s) => (s === '' ? null : s));

/** Parses an admin form body (400 with field problems; the admin error filter shows the message). */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  return parseInput(schema, body, 'form');
}
