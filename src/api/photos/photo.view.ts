import type { Principal } from '../../access/principal.js';
import type { ImageSizeRegistry } from '../../media/image-size.registry.js';
import type { PhotoListRow, PhotoRow } from '../../photos/photo-query.repository.js';
import { z } from 'zod';
import { iso } from '../api-request.js';
import { isoDate, refSchema } from '../../common/view.schema.js';

type Ref = z.infer<typeof refSchema>;

/** A photo in lists. */
export const photoSummaryViewSchema = z.object({
  id: z.number().int(),
  title: z.string().nullable(),
  originalName: z.string(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  takenAt: isoDate,
  createdAt: isoDate,
  privacyLevel: z.number().int(),
  blurPlaceholder: z.string().nullable(),
  /** Size name → URL (`/media/photos/:id/:size`); every URL checks visibility itself. */
  sizes: z.record(z.string(), z.string()),
  tags: z.array(refSchema),
});
export type PhotoSummaryView = z.infer<typeof photoSummaryViewSchema>;

const nullableNumber = z.number().nullable();

/** A photo with its metadata and the visible albums it is in. */
export const photoDetailViewSchema = photoSummaryViewSchema.extend({
  description: z.string().nullable(),
  author: z.string().nullable(),
  mimeType: z.string().nullable(),
  fileSize: z.number().int().nullable(),
  /** Only for principals allowed to download (users; share links with the download right), as AbilityFactory grants `download`. */
  originalUrl: z.string().nullable(),
  camera: z.object({ make: z.string().nullable(), model: z.string().nullable(), lens: z.string().nullable() }),
  exposure: z.object({ iso: nullableNumber, exposureTime: nullableNumber, fNumber: nullableNumber, focalLength: nullableNumber }),
  /** Omitted (null) for share-link visitors. */
  gps: z.object({ latitude: z.number(), longitude: z.number() }).nullable(),
  metadata: z.record(z.string(), z.unknown()),
  /** Plugin metadata fields by key (public ones only, unless the reader edits every photo). */
  fields: z.record(z.string(), z.unknown()).optional(),
  /** What plugins added through the `photo.viewModel` filter, by plugin. */
  extensions: z.record(z.string(), z.unknown()).optional(),
  albums: z.array(refSchema),
  updatedAt: isoDate,
});
export type PhotoDetailView = z.infer<typeof photoDetailViewSchema>;

/** One page of a photo list. `nextCursor` is null on the last page. */
export const photoPageSchema = z.object({ items: z.array(photoSummaryViewSchema), nextCursor: z.string().nullable() });

export function sizeUrls(photoId: number, sizes: ImageSizeRegistry): Record<string, string> {
  return Object.fromEntries(sizes.list().map((s) => [s.name, `/media/photos/${photoId}/${s.name}`]));
}

export function photoSummaryView(row: PhotoListRow, tags: Ref[], sizes: ImageSizeRegistry): PhotoSummaryView {
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
