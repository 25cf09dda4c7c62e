/**
 * The metadata the ingest service stores for a photo. Typed fields map one-to-one onto the
 * `photos` columns of the same name; everything else lands, bounded and JSON-safe, in `raw`
 * (the `metadata` JSONB column). Every string is sanitised (see metadata.sanitizer.ts): it is
 * safe to store in Postgres `text`/`jsonb`, but it is *not* HTML-escaped — escape on output.
 */
export interface ExtractedMetadata {
  title: string | null;
  description: string | null;
  author: string | null;
  copyright: string | null;
  /** 0–5 stars (XMP Rating; Lightroom's −1 "rejected" is dropped). */
  rating: number | null;
  /**
   * When the photo was taken. With a known offset this is the true instant; without one the
   * camera's wall-clock time is stored as if it were UTC ("floating" time) and
   * {@link takenAtOffset} is null.
   */
  takenAt: Date | null;
  /** `±HH:MM` from EXIF OffsetTime*, an XMP/IPTC date, or null when unknown. */
  takenAtOffset: string | null;
  latitude: number | null;
  longitude: number | null;
  cameraMake: string | null;
  cameraModel: string | null;
  lens: string | null;
  iso: number | null;
  /** Seconds. */
  exposureTime: number | null;
  fNumber: number | null;
  /** Millimetres. */
  focalLength: number | null;
  /** EXIF orientation 1–8. */
  orientation: number | null;
  /** Keywords (XMP dc:subject, IPTC Keywords, hierarchical leaves): deduplicated, bounded. */
  tags: string[];
  /** Remaining fields by source (`ifd0`, `exif`, `iptc`, `xmp`), bounded, without GPS. */
  raw: JsonObject;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Caps applied by the sanitiser. */
export const METADATA_LIMITS = {
  title: 1000,
  description: 5000,
  author: 500,
  copyright: 1000,
  camera: 200,
  tags: 100,
  tagLength: 100,
  /** Longest string kept inside `raw`. */
  rawString: 1000,
  /** Most items kept from an array inside `raw`. */
  rawArray: 100,
  rawDepth: 4,
  /** Largest `JSON.stringify(raw)` in UTF-8 bytes. */
  rawBytes: 64 * 1024,
  /** Earliest plausible photo: Niépce's View from the Window at Le Gras (1826/27). */
  earliestYear: 1826,
  /** Dates later than now + this many days are dropped (camera clocks drift, not by years). */
  futureDays: 366,
} as const;

/** An empty result: what the extractor returns for files without (usable) metadata. */
export function emptyMetadata(): ExtractedMetadata {
  return {
    title: null,
    description: null,
    author: null,
    copyright: null,
    rating: null,
    takenAt: null,
    takenAtOffset: null,
    latitude: null,
    longitude: null,
    cameraMake: null,
    cameraModel: null,
    lens: null,
    iso: null,
    exposureTime: null,
    fNumber: null,
    focalLength: null,
    orientation: null,
    tags: [],
    raw: {},
  };
}
