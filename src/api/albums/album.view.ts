import type { AccessScope } from '../../access/access-scope.js';
import { z } from 'zod';
import { iso } from '../api-request.js';
import { isoDate, refSchema } from '../../common/view.schema.js';
import type { AlbumRow } from './album-query.repository.js';

/**
 * An album in API answers. Counts are what the asking principal may see (see AlbumQueryRepository).
 * The schema is the contract: the TypeScript type and the OpenAPI response come from it.
 */
export const albumViewSchema = z.object({
  id: z.number().int(),
  /** null at the top level, and when the parent is not visible to the principal (share links). */
  parentId: z.number().int().nullable(),
  name: z.string(),
  slug: z.string(),
  description: z.string().nullable(),
  position: z.number().int(),
  status: z.enum(['public', 'private']),
  visible: z.boolean(),
  depth: z.number().int(),
  representative: z.object({ photoId: z.number().int(), url: z.string() }).nullable(),
  counts: z.object({ photos: z.number().int(), children: z.number().int(), descendants: z.number().int(), totalPhotos: z.number().int() }),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type AlbumView = z.infer<typeof albumViewSchema>;

export const albumDetailViewSchema = albumViewSchema.extend({
  /** Visible ancestors, top level first. */
  breadcrumbs: z.array(refSchema),
  /** What plugins added through the `album.viewModel` filter, by plugin (absent when none). */
  extensions: z.record(z.string(), z.unknown()).optional(),
});
export type AlbumDetailView = z.infer<typeof albumDetailViewSchema>;

export function albumView(row: AlbumRow, scope: AccessScope): AlbumView {
  const rep = row.representative_photo_id;
  return {
    id: row.id,
    parentId: row.parent_id !== null && scope.canSeeAlbum(row.parent_id) ? row.parent_id : null,
    name: row.name,
    slug: row.slug,
    description: row.description,
    position: row.position,
    status: row.status,
    visible: row.visible,
    depth: row.depth,
    representative: rep === null ? null : { photoId: rep, url: `/media/photos/${rep}/thumb` },
    counts: { photos: row.photo_count, children: row.child_count, descendants: row.descendant_count, totalPhotos: row.total_photo_count },
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
