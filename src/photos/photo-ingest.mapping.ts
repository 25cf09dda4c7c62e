import { basename } from 'node:path';
import type { PhotoMetadata } from '../hooks/hook-payloads.js';
import type { AdmittedUpload } from '../media/upload-admission.js';
import { METADATA_LIMITS, type ExtractedMetadata } from '../metadata/metadata.model.js';
import { cleanTags, cleanText } from '../metadata/metadata.sanitizer.js';

/* Pure mappings of the ingest: extracted metadata to and from the `photo.metadata` hook's shape, and an admitted file to the photo row's file facts. */

/** The extractor's result in the hook's shape (`raw` is what core does not map to a column). */
export function toHookMetadata(m: ExtractedMetadata): PhotoMetadata {
  return {
    takenAt: m.takenAt, author: m.author, copyright: m.copyright, title: m.title, description: m.description,
    cameraMake: m.cameraMake, cameraModel: m.cameraModel, lens: m.lens, latitude: m.latitude, longitude: m.longitude,
    keywords: [...m.tags], plugins: {}, raw: m.raw,
  };
}

/** Core fields a `photo.metadata` filter changed, sanitised again (plugins are not trusted with lengths). */
export function fromHookMetadata(m: ExtractedMetadata, f: PhotoMetadata): ExtractedMetadata {
  const num = (v: unknown, min: number, max: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : null);
  const date = f.takenAt instanceof Date && !Number.isNaN(f.takenAt.getTime()) ? f.takenAt : null;
  return {
    ...m,
    takenAt: date,
    takenAtOffset: date && m.takenAt && date.getTime() === m.takenAt.getTime() ? m.takenAtOffset : null,
    author: cleanText(f.author, METADATA_LIMITS.author),
    copyright: cleanText(f.copyright, METADATA_LIMITS.copyright),
    title: cleanText(f.title, METADATA_LIMITS.title),
    description: cleanText(f.description, METADATA_LIMITS.description, { multiline: true }),
    cameraMake: cleanText(f.cameraMake, METADATA_LIMITS.camera),
    cameraModel: cleanText(f.cameraModel, METADATA_LIMITS.camera),
    lens: cleanText(f.lens, METADATA_LIMITS.camera),
    latitude: num(f.latitude, -90, 90),
    longitude: num(f.longitude, -180, 180),
    tags: cleanTags([[Array.isArray(f.keywords) ? f.keywords : []]]),
  };
}

/** The photo row's facts about an admitted file; the client's file name is reduced to a safe base name. */
export function fileFacts({ file, image }: AdmittedUpload, originalName: string) {
  return {
    originalName: cleanText(basename(originalName.replace(/\\/g, '/')), 255) ?? '',
    sha256: file.sha256,
    md5: file.md5,
    mimeType: image.mime,
    fileSize: file.size,
    width: image.width,
    height: image.height,
    orientation: image.orientation,
  };
}
