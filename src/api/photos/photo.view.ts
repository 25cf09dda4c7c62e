import type { Principal } from '../../access/principal.js';
import type { ImageSizeRegistry } from '../../media/image-size.registry.js';
import type { PhotoRow } from '../../photos/photo-query.repository.js';
import { iso } from '../api-request.js';

type Ref = { id: number; name: string; slug: string };

/** A photo in lists. */
export interface PhotoSummaryView {
  id: number;
  title: string | null;
  originalName: string;
  width: number | null;
  height: number | null;
  takenAt: string | null;
  createdAt: string | null;
  privacyLevel: number;
  blurPlaceholder: string | null;
  /** Size name → URL (`/media/photos/:id/:size`); every URL checks visibility itself. */
  sizes: Record<string, string>;
  tags: Ref[];
}

/** A photo with its metadata and the visible albums it is in. */
export interface PhotoDetailView extends PhotoSummaryView {
  description: string | null;
  author: string | null;
  mimeType: string | null;
  fileSize: number | null;
  /** Only for principals allowed to download (users; share links with the download right), as AbilityFactory grants `download`. */
  originalUrl: string | null;
  camera: { make: string | null; model: string | null; lens: string | null };
  exposure: { iso: number | null; exposureTime: number | null; fNumber: number | null; focalLength: number | null };
  /** Omitted (null) for share-link visitors. */
  gps: { latitude: number; longitude: number } | null;
  metadata: Record<string, unknown>;
  albums: Ref[];
  updatedAt: string | null;
}

export function sizeUrls(photoId: number, sizes: ImageSizeRegistry): Record<string, string> {
  return Object.fromEntries(sizes.list().map((s) => [s.name, `/media/photos/${photoId}/${s.name}`]));
}

export function photoSummaryView(row: PhotoRow, tags: Ref[], sizes: ImageSizeRegistry): PhotoSummaryView {
  return {
    id: row.id,
    title: row.title,
    originalName: row.original_name,
    width: row.width,
    height: row.height,
    takenAt: iso(row.taken_at),
    createdAt: iso(row.created_at),
    privacyLevel: row.privacy_level,
    blurPlaceholder: row.blur_placeholder,
    sizes: sizeUrls(row.id, sizes),
    tags,
  };
}

export function photoDetailView(row: PhotoRow, tags: Ref[], albums: Ref[], sizes: ImageSizeRegistry, principal: Principal): PhotoDetailView {
  const share = principal.kind === 'share';
  const canDownload = principal.kind === 'user' || (principal.kind === 'share' && principal.allowDownload);
  return {
    ...photoSummaryView(row, tags, sizes),
    description: row.description,
    author: row.author,
    mimeType: row.mime_type,
    fileSize: row.file_size === null ? null : Number(row.file_size),
    originalUrl: canDownload ? `/media/photos/${row.id}/original` : null,
    camera: { make: row.camera_make, model: row.camera_model, lens: row.lens },
    exposure: { iso: row.iso, exposureTime: row.exposure_time, fNumber: row.f_number, focalLength: row.focal_length },
    gps: share || row.latitude === null || row.longitude === null ? null : { latitude: row.latitude, longitude: row.longitude },
    metadata: row.metadata ?? {},
    albums,
    updatedAt: iso(row.updated_at),
  };
}
