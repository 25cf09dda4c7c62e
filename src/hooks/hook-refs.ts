import type { AlbumRef, PhotoRef, PrivacyLevelValue } from './hook-payloads.js';

/** Columns of `photos p` that {@link photoRef} maps. */
export const PHOTO_REF_COLUMNS = `p.id, p.title, p.description, p.original_name, p.mime_type, p.width, p.height, p.file_size, p.sha256, p.taken_at, p.privacy_level,
  (SELECT ap.album_id FROM album_photos ap WHERE ap.photo_id = p.id ORDER BY ap.album_id LIMIT 1) AS storage_album_id`;

/** A raw `photos` row (snake_case) as the hook payload shape. */
export function photoRef(r: Record<string, any>): PhotoRef {
  return {
    id: Number(r.id),
    title: r.title ?? null,
    description: r.description ?? null,
    originalName: r.original_name ?? r.originalName ?? '',
    mimeType: r.mime_type ?? r.mimeType ?? null,
    width: r.width ?? null,
    height: r.height ?? null,
    fileSize: r.file_size ?? r.fileSize ?? null,
    sha256: r.sha256 ?? null,
    takenAt: (r.taken_at ?? r.takenAt) ? new Date(r.taken_at ?? r.takenAt) : null,
    privacyLevel: Number(r.privacy_level ?? r.privacyLevel ?? 0) as PrivacyLevelValue,
    storageAlbumId: r.storage_album_id ?? r.storageAlbumId ?? null,
  };
}

/** A raw `albums` row (snake_case) or an Album entity as the hook payload shape. */
export function albumRef(r: Record<string, any>): AlbumRef {
  return {
    id: Number(r.id),
    parentId: r.parent_id ?? r.parentId ?? null,
    name: r.name,
    slug: r.slug,
    description: r.description ?? null,
    status: r.status,
    visible: Boolean(r.visible),
  };
}
