/**
 * Photo metadata and neighbour links shown on photo pages. Part of the theme view contract; see
 * `theme-view.types.ts` for the rules that hold for every field.
 *
 * @packageDocumentation
 */
import type { ImageSizeView } from './theme-view.types.js';

/** Link to a neighbouring photo. */
export interface PhotoLinkView {
  url: string;
  /** Text alternative of the neighbour (same rule as `PhotoCardView.alt`). */
  alt: string;
  /** A small rendition for previews, or null. */
  thumbnail: ImageSizeView | null;
}

/** A metadata field added by a plugin. */
export interface MetadataFieldView {
  /** Stable key, e.g. `myplugin.rating`. */
  key: string;
  /** English label; translate with `{{t label}}`. */
  label: string;
  /** Display value (raw text). */
  value: string;
}

/** Where a photo was taken. Absent when the visitor may not see locations. */
export interface PlaceView {
  lat: number;
  lon: number;
  /** Place name (raw text), or null. */
  name: string | null;
  /** A map link (e.g. OpenStreetMap), or null. */
  mapUrl: string | null;
}

/** Metadata panel fields; each is null when unknown. Display strings are raw text. */
export interface PhotoMetadataView {
  /** Camera, make and model without repetition, e.g. `Fujifilm X-T4`. */
  camera: string | null;
  lens: string | null;
  /** Exposure time for display, e.g. `1/250 s`. */
  exposure: string | null;
  /** Aperture for display, e.g. `f/2.8`. */
  aperture: string | null;
  iso: number | null;
  /** Focal length for display, e.g. `35 mm`. */
  focalLength: string | null;
  /** When the photo was taken (ISO 8601). */
  takenAt: string | null;
  place: PlaceView | null;
  author: string | null;
  copyright: string | null;
  /** Plugin fields. */
  extra: MetadataFieldView[];
}

