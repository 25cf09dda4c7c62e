import type { ImageSizeRegistry } from '../media/image-size.registry.js';
import type { PhotoSummary } from './photo.repository.js';

/** The JSON shape of an uploaded photo in API answers. */
export interface PhotoView {
  id: number;
  title: string | null;
  width: number | null;
  height: number | null;
  sha256: string;
  duplicate: boolean;
  urls: { original: string; sizes: Record<string, string> };
}

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
