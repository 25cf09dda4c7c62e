import { z } from 'zod';
import type { ImageSizeRegistry } from '../media/image-size.registry.js';
import type { PhotoSummary } from './photo.repository.js';

/** The JSON shape of an uploaded photo in API answers (its type is inferred; ApiDoc publishes it). */
export const photoUploadViewSchema = z.object({
  id: z.number().int(),
  title: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  /** SHA-256 of the original file, hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** True when the same file was already in the gallery (the existing photo is answered). */
  duplicate: z.boolean(),
  urls: z.object({ original: z.string(), sizes: z.record(z.string(), z.string()) }),
});
export type PhotoView = z.infer<typeof photoUploadViewSchema>;

/** The answer of `POST /api/v1/photos`: one entry per uploaded file, in order. */
export const photoUploadResultSchema = z.object({ photos: z.array(photoUploadViewSchema) });

/** Stable, content-negotiated URLs (`/media/photos/:id/:size`): see media-file.controller.ts. */
export function photoView(photo: PhotoSummary, duplicate: boolean, sizes: ImageSizeRegistry): PhotoView {
  const base = `/media/photos/${photo.id}`;
  return {
    id: photo.id,
    title: photo.title,
    width: photo.width,
    height: photo.height,
    sha256: photo.sha256.trim(),
    duplicate,
    urls: { original: `${base}/original`, sizes: Object.fromEntries(sizes.list().map((s) => [s.name, `${base}/${s.name}`])) },
  };
}
