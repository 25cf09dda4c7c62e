import type { AccessScope } from '../../access/access-scope.js';
import { iso } from '../api-request.js';
import type { AlbumRow } from './album-query.repository.js';

/** An album in API answers. Counts are what the asking principal may see (see AlbumQueryRepository). */
export interface AlbumView {
  id: number;
  /** null at the top level, and when the parent is not visible to the principal (share links). */
  parentId: number | null;
  name: string;
  slug: string;
  description: string | null;
  position: number;
  status: 'public' | 'private';
  visible: boolean;
  depth: number;
  representative: { photoId: number; url: string } | null;
  counts: { photos: number; children: number; descendants: number; totalPhotos: number };
  createdAt: string | null;
  updatedAt: string | null;
}

export interface AlbumDetailView extends AlbumView {
  /** Visible ancestors, top level first. */
  breadcrumbs: { id: number; name: string; slug: string }[];
}

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
