import exifr from 'exifr';
import { emptyMetadata, METADATA_LIMITS, type ExtractedMetadata, type JsonObject } from './metadata.model.js';
import {
  cleanGps,
  cleanNumber,
  cleanOrientation,
  cleanRating,
  cleanTags,
  cleanText,
  decodeXmlReferences,
  toBoundedJson,
  type TextOptions,
} from './metadata.sanitizer.js';
import { readMetadataSource } from './metadata-source.reader.js';
import { parseExifDate, parseIptcDate, parseIsoDate, type TakenAt } from './taken-at.parser.js';

type Group = Record<string, unknown>;
type Groups = Record<string, Group | undefined>;

/** Options shared by every exifr pass: raw values (we parse dates ourselves, to keep offsets). */
const COMMON = {
  icc: false,
  ifd1: false,
  interop: false,
  makerNote: false,
  userComment: false,
  jfif: false,
  ihdr: false,
  mergeOutput: false,
  translateKeys: true,
  translateValues: false,
  reviveValues: false,
  sanitize: true,
} as const;

/**
 * Three separate exifr passes, so that one malformed segment cannot take the others down (exifr
 * returns nothing but `errors` when any enabled segment fails) and so that XMP's `exif:`/`tiff:`
 * namespaces cannot overwrite real EXIF values (one pass merges them into the same groups).
 * No maker notes, thumbnails or ICC; extended (multi-segment) XMP is not read. exifr parses
 * XMP with regular expressions and never resolves DTDs or entities.
 */
const PASSES = {
  exif: { ...COMMON, tiff: true, ifd0: {}, exif: true, gps: true, iptc: false, xmp: false },
  iptc: { ...COMMON, tiff: false, ifd0: false, exif: false, gps: false, iptc: true, xmp: false },
  xmp: { ...COMMON, tiff: false, ifd0: false, exif: false, gps: false, iptc: false, xmp: { multiSegment: false } },
} as const;

const IPTC: TextOptions = { repairLatin1: true };
const XMP: TextOptions = { xml: true };
const MULTI_IPTC: TextOptions = { repairLatin1: true, multiline: true };
const MULTI_XMP: TextOptions = { xml: true, multiline: true };

/** Camera placeholders written into ImageDescription, not captions anyone wrote. */
const JUNK_DESCRIPTION =
  /^(?:OLYMPUS DIGITAL CAMERA|SONY DSC|KODAK Digital Still Camera|MINOLTA DIGITAL CAMERA|DIGITAL CAMERA|SAMSUNG|LEICA|Created with GIMP|default|Untitled|image|photo|DCIM.*)$/i;

export interface ExtractOptions {
  /** Reference time for dropping future dates (tests pass a fixed one). */
  now?: Date;
}

/**
 * Reads EXIF, GPS, IPTC and XMP from an image (a path, read through {@link readMetadataSource},
 * or the bytes) and returns sanitised, typed metadata. Never
 * throws: unreadable metadata, unsupported formats (GIF, WebP) and impossible values give
 * empty fields. Precedence per field is XMP, then IPTC, then EXIF for descriptive text (what an
 * editor wrote last wins), and EXIF first for capture data (what the camera recorded).
 */
export async function extractMetadata(input: string | Uint8Array, options: ExtractOptions = {}): Promise<ExtractedMetadata> {
  try {
    const source = typeof input === 'string' ? await readMetadataSource(input) : input;
    const [exif, iptc, xmp] = await Promise.all([parse(source, PASSES.exif), parse(source, PASSES.iptc), parse(source, PASSES.xmp)]);
    return build({ ...exif, iptc: iptc.iptc }, xmp, options.now ?? new Date());
  } catch {
    return emptyMetadata();
  }
}

async function parse(input: string | Uint8Array, options: object): Promise<Groups> {
  try {
    const result: unknown = await exifr.parse(input as Buffer, options);
    return result && typeof result === 'object' ? (result as Groups) : {};
  } catch {
    return {};
  }
}

function build(base: Groups, xmp: Groups, now: Date): ExtractedMetadata {
  const ifd0 = base.ifd0 ?? {};
  const exif = base.exif ?? {};
  const gps = base.gps ?? {};
  const iptc = base.iptc ?? {};
  const dc = xmp.dc ?? {};
  const xmpBasic = xmp.xmp ?? {};
  const xmpExif = xmp.exif ?? {};
  const xmpTiff = xmp.ifd0 ?? {};
  const L = METADATA_LIMITS;

  const exifDescription = cleanText(ifd0.ImageDescription, L.description, { multiline: true });
  const position = cleanGps(gps.latitude, gps.longitude) ?? cleanGps(xmpCoordinate(xmpExif.GPSLatitude), xmpCoordinate(xmpExif.GPSLongitude));
  const taken = firstDate([
    () => parseExifDate(exif.DateTimeOriginal, exif.OffsetTimeOriginal ?? exif.OffsetTime, exif.SubSecTimeOriginal, now),
    () => parseExifDate(exif.CreateDate, exif.OffsetTimeDigitized ?? exif.OffsetTime, exif.SubSecTimeDigitized, now),
    () => parseIsoDate(xmpText(xmpExif.DateTimeOriginal), now),
    () => parseIsoDate(xmpText(xmp.photoshop?.DateCreated), now),
    () => parseIsoDate(xmpText(xmpBasic.CreateDate), now),
    () => parseIptcDate(iptc.DateCreated, iptc.TimeCreated, now),
  ]);

  return {
    title: cleanText(xmpText(dc.title), L.title, XMP) ?? cleanText(iptc.ObjectName, L.title, IPTC) ?? cleanText(iptc.Headline, L.title, IPTC),
    description:
      cleanText(xmpText(dc.description), L.description, MULTI_XMP) ??
      cleanText(iptc.Caption, L.description, MULTI_IPTC) ??
      (exifDescription && !JUNK_DESCRIPTION.test(exifDescription) ? exifDescription : null),
    author: cleanText(xmpText(dc.creator), L.author, XMP) ?? cleanText(iptc.Byline, L.author, IPTC) ?? cleanText(ifd0.Artist, L.author),
    copyright: cleanText(xmpText(dc.rights), L.copyright, XMP) ?? cleanText(iptc.CopyrightNotice, L.copyright, IPTC) ?? cleanText(ifd0.Copyright, L.copyright),
    rating: cleanRating(xmpText(xmpBasic.Rating)) ?? cleanRating(ifd0.Rating),
    takenAt: taken?.date ?? null,
    takenAtOffset: taken?.offset ?? null,
    latitude: position?.latitude ?? null,
    longitude: position?.longitude ?? null,
    cameraMake: cleanText(ifd0.Make, L.camera) ?? cleanText(xmpText(xmpTiff.Make), L.camera, XMP),
    cameraModel: cleanText(ifd0.Model, L.camera) ?? cleanText(xmpText(xmpTiff.Model), L.camera, XMP),
    lens:
      cleanText(exif.LensModel, L.camera) ?? cleanText(xmpText(xmp.aux?.Lens), L.camera, XMP) ?? cleanText(xmpText(xmp.exifEX?.LensModel), L.camera, XMP),
    iso: cleanNumber(exif.ISO, { min: 1, max: 10_000_000, integer: true }) ?? cleanNumber(xmpFirst(xmpExif.ISOSpeedRatings), { min: 1, max: 10_000_000, integer: true }),
    exposureTime: cleanNumber(exif.ExposureTime ?? xmpText(xmpExif.ExposureTime), { min: 0, max: 100_000, exclusiveMin: true }),
    fNumber: cleanNumber(exif.FNumber ?? xmpText(xmpExif.FNumber), { min: 0, max: 1000, exclusiveMin: true }),
    focalLength: cleanNumber(exif.FocalLength ?? xmpText(xmpExif.FocalLength), { min: 0, max: 100_000, exclusiveMin: true }),
    orientation: cleanOrientation(ifd0.Orientation) ?? cleanOrientation(xmpText(xmpTiff.Orientation)),
    tags: cleanTags([
      [xmpList(dc.subject), XMP],
      [iptc.Keywords, IPTC],
      [xmpList(xmp.lr?.hierarchicalSubject).map((path) => path.split('|').pop() ?? ''), XMP],
    ]),
    raw: rawRemainder(base, xmp),
  };
}

function firstDate(candidates: Array<() => TakenAt | null>): TakenAt | null {
  for (const candidate of candidates) {
    const found = candidate();
    if (found) return found;
  }
  return null;
}

/** A language alternative, a single value, or a sequence (joined) as one string. */
function xmpText(value: unknown): unknown {
  if (Array.isArray(value)) {
    const texts = value.map(xmpText).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
    const langDefault = value.find((v) => isLangAlt(v) && v.lang === 'x-default');
    if (langDefault) return xmpText(langDefault);
    return texts.length ? texts.slice(0, 50).join(', ') : undefined;
  }
  if (isLangAlt(value)) return value.value;
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

function xmpFirst(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function xmpList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map(xmpText).filter((v): v is string => typeof v === 'string');
}

function isLangAlt(value: unknown): value is { lang?: unknown; value: unknown } {
  return typeof value === 'object' && value !== null && 'value' in value;
}

/** XMP GPS coordinates: `DDD,MM.mmmmK` or `DDD,MM,SSK` (K = N, S, E, W). */
export function xmpCoordinate(value: unknown): number | null {
  const text = xmpText(value);
  if (typeof text !== 'string') return null;
  const m = /^\s*(\d{1,3}),(\d{1,2}(?:\.\d+)?)(?:,(\d{1,2}(?:\.\d+)?))?\s*([NSEW])\s*$/i.exec(decodeXmlReferences(text));
  if (!m) return null;
  const degrees = Number(m[1]) + Number(m[2]) / 60 + Number(m[3] ?? 0) / 3600;
  return /[SW]/i.test(m[4] ?? '') ? -degrees : degrees;
}

const CONSUMED: Record<string, ReadonlySet<string>> = {
  ifd0: new Set(['ImageDescription', 'Make', 'Model', 'Orientation', 'Artist', 'Copyright', 'Rating']),
  exif: new Set(['DateTimeOriginal', 'CreateDate', 'OffsetTimeOriginal', 'OffsetTimeDigitized', 'ExposureTime', 'FNumber', 'ISO', 'FocalLength', 'LensModel']),
  iptc: new Set(['ObjectName', 'Caption', 'Byline', 'CopyrightNotice', 'Keywords', 'DateCreated', 'TimeCreated', 'ApplicationRecordVersion']),
  dc: new Set(['title', 'description', 'creator', 'rights', 'subject']),
  xmp: new Set(['Rating']),
  lr: new Set(['hierarchicalSubject']),
};

/** Fields not mapped to columns, per source, each group and the whole bounded; no GPS at all. */
function rawRemainder(base: Groups, xmp: Groups): JsonObject {
  const perGroup = 24 * 1024;
  const strip = (name: string, group: Group | undefined, consumedKey = name): Group =>
    Object.fromEntries(Object.entries(group ?? {}).filter(([key]) => !CONSUMED[consumedKey]?.has(key) && !/^GPS/i.test(key) && key !== 'latitude' && key !== 'longitude'));
  const xmpGroups: Group = {};
  for (const [ns, group] of Object.entries(xmp)) {
    const rest = group && typeof group === 'object' ? strip(ns, group) : {};
    if (Object.keys(rest).length > 0) xmpGroups[ns === 'ifd0' ? 'tiff' : ns] = rest;
  }
  const raw: Record<string, unknown> = {
    ifd0: toBoundedJson(strip('ifd0', base.ifd0), perGroup),
    exif: toBoundedJson(strip('exif', base.exif), perGroup),
    iptc: toBoundedJson(strip('iptc', base.iptc), perGroup, IPTC),
    xmp: toBoundedJson(xmpGroups, perGroup, XMP),
  };
  const nonEmpty = Object.fromEntries(Object.entries(raw).filter(([, group]) => Object.keys(group as object).length > 0));
  return toBoundedJson(nonEmpty, METADATA_LIMITS.rawBytes);
}
