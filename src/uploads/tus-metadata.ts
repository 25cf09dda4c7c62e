import { z } from 'zod';
import { Errors } from '../common/errors.js';

/** The server-side metadata key holding the owner of a tus upload (refused from clients). */
export const OWNER_KEY = 'vitrineOwner';

/** What a client may put in `Upload-Metadata` (values base64, as the tus protocol says). */
export interface TusUploadFields {
  /** Target albums (at least one). `albumIds` is a comma-separated list: `"3,5"`. */
  albumIds: number[];
  title?: string;
  description?: string;
  /** Comma- or semicolon-separated in the header. */
  tags?: string[];
  /** The client's file name (`filename`, or `name` as Uppy sends it): shown, never a path. */
  filename: string;
}

/** Keys tus clients add on their own (tus-js-client, Uppy); accepted and ignored. */
const IGNORED_KEYS = new Set(['filetype', 'type', 'relativePath', 'contentType']);
const MAX_HEADER = 64 * 1024;

const fields = z.strictObject({
  albumIds: z
    .string()
    .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^\d{1,9}$/, 'must be an album id').transform(Number)).min(1, 'at least one album id').max(100)),
  title: z.string().max(1000).optional(),
  description: z.string().max(20_000).optional(),
  tags: z
    .string()
    .max(10_000)
    .transform((s) => s.split(/[,;]/))
    .optional(),
  filename: z.string().max(1000).optional(),
  name: z.string().max(1000).optional(),
});

/**
 * Parses and validates a tus `Upload-Metadata` header (`key base64value,key2 base64value2`).
 * @throws VitrineError `upload.metadata_invalid` (400) naming the bad keys.
 */
export function parseTusMetadata(header: string | undefined): TusUploadFields {
  if (header !== undefined && header.length > MAX_HEADER) throw invalid([{ path: 'Upload-Metadata', message: 'too long' }]);
  const raw: Record<string, string> = {};
  for (const pair of (header ?? '').split(',')) {
    const trimmed = pair.trim();
    if (!trimmed) continue;
    const [key, value, extra] = trimmed.split(' ');
    if (!key || extra !== undefined || !/^[A-Za-z0-9_.-]{1,64}$/.test(key) || (value !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(value))) {
      throw invalid([{ path: 'Upload-Metadata', message: 'expected "key base64value" pairs separated by commas' }]);
    }
    if (key in raw) throw invalid([{ path: key, message: 'given twice' }]);
    if (IGNORED_KEYS.has(key)) continue;
    const text = Buffer.from(value ?? '', 'base64').toString('utf8');
    if (text.includes('\uFFFD')) throw invalid([{ path: key, message: 'is not UTF-8 text' }]);
    raw[key] = text;
  }
  const parsed = fields.safeParse(raw);
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((i) => ({ path: i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(', ') : 'Upload-Metadata'), message: i.message })));
  }
  const { albumIds, title, description, tags, filename, name } = parsed.data;
  return { albumIds, title, description, tags, filename: filename ?? name ?? 'upload' };
}

function invalid(errors: Array<{ path: string; message: string }>) {
  return Errors.invalid('upload.metadata_invalid', 'The upload metadata is incomplete or invalid.', errors);
}
