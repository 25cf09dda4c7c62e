import type { MetadataFieldContribution, MetadataValue } from '../../../src/plugins/index.js';

/** Values of `exposureProgram` (EXIF 0x8822; 0 "not defined" is left out). */
export const EXPOSURE_PROGRAMS = ['Manual', 'Program', 'Aperture priority', 'Shutter priority', 'Creative', 'Action', 'Portrait', 'Landscape'] as const;
/** Values of `exposureMode` (EXIF 0xA402). */
export const EXPOSURE_MODES = ['Auto', 'Manual', 'Auto bracket'] as const;
/** Values of `meteringMode` (EXIF 0x9207; 0 "unknown" is left out). */
export const METERING_MODES = ['Average', 'Center-weighted', 'Spot', 'Multi-spot', 'Pattern', 'Partial', 'Other'] as const;
/** Values of `flash`, from the EXIF 0x9209 bit field. */
export const FLASH_STATES = ['Fired', 'Did not fire', 'No flash'] as const;
/** Values of `whiteBalance` (EXIF 0xA403). */
export const WHITE_BALANCES = ['Auto', 'Manual'] as const;

const range = (min: number, max: number, unit: string) => (value: MetadataValue) =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? undefined : `must be between ${min} and ${max} ${unit}`;

/** The fields this plugin declares: public (shown on photo pages and in the public API), most searchable. */
export const EXIF_FIELDS = [
  { key: 'lensMake', type: 'string', label: 'Lens maker', searchable: true, public: true, validate: (v) => (typeof v === 'string' && v.length <= 200 ? undefined : 'at most 200 characters') },
  { key: 'lensRange', type: 'string', label: 'Lens', public: true, validate: (v) => (typeof v === 'string' && v.length <= 64 ? undefined : 'at most 64 characters') },
  { key: 'focalLength35mm', type: 'number', label: 'Focal length (35 mm equivalent)', searchable: true, public: true, validate: range(1, 10_000, 'mm'), format: (v) => `${String(v)} mm` },
  { key: 'exposureProgram', type: 'enum', values: EXPOSURE_PROGRAMS, label: 'Exposure program', searchable: true, public: true },
  { key: 'exposureMode', type: 'enum', values: EXPOSURE_MODES, label: 'Exposure mode', public: true },
  { key: 'exposureBias', type: 'number', label: 'Exposure compensation', public: true, validate: range(-20, 20, 'EV'), format: (v) => formatBias(v) },
  { key: 'meteringMode', type: 'enum', values: METERING_MODES, label: 'Metering', searchable: true, public: true },
  { key: 'flash', type: 'enum', values: FLASH_STATES, label: 'Flash', searchable: true, public: true },
  { key: 'whiteBalance', type: 'enum', values: WHITE_BALANCES, label: 'White balance', searchable: true, public: true },
] as const satisfies readonly MetadataFieldContribution[];

export type ExifFieldKey = (typeof EXIF_FIELDS)[number]['key'];
export type ExifDetails = Partial<Record<ExifFieldKey, string | number>>;

/**
 * Reads the plugin's fields from an EXIF group as exifr gives it with `translateKeys: true` and
 * `translateValues: false` (tag names, raw numbers). Unknown codes, impossible numbers and
 * non-text strings are dropped one by one; never throws.
 */
export function exifDetails(exif: Readonly<Record<string, unknown>>): ExifDetails {
  const out: ExifDetails = {};
  const lensMake = text(exif.LensMake, 200);
  if (lensMake) out.lensMake = lensMake;
  const lensRange = lensSpecification(exif.LensInfo ?? exif.LensSpecification);
  if (lensRange) out.lensRange = lensRange;
  const f35 = int(exif.FocalLengthIn35mmFormat ?? exif.FocalLengthIn35mmFilm);
  if (f35 !== undefined && f35 >= 1 && f35 <= 10_000) out.focalLength35mm = f35;
  const program = int(exif.ExposureProgram);
  if (program !== undefined && program >= 1 && program <= 8) out.exposureProgram = EXPOSURE_PROGRAMS[program - 1];
  const mode = int(exif.ExposureMode);
  if (mode !== undefined && mode >= 0 && mode <= 2) out.exposureMode = EXPOSURE_MODES[mode];
  const bias = num(exif.ExposureCompensation ?? exif.ExposureBiasValue);
  if (bias !== undefined && Math.abs(bias) <= 20) out.exposureBias = Math.round(bias * 100) / 100 || 0;
  const metering = int(exif.MeteringMode);
  if (metering !== undefined) {
    if (metering >= 1 && metering <= 6) out.meteringMode = METERING_MODES[metering - 1];
    else if (metering === 255) out.meteringMode = 'Other';
  }
  const flash = int(exif.Flash);
  if (flash !== undefined && flash >= 0 && flash <= 0xff) out.flash = flash & 0x20 ? 'No flash' : flash & 0x01 ? 'Fired' : 'Did not fire';
  const wb = int(exif.WhiteBalance);
  if (wb === 0 || wb === 1) out.whiteBalance = WHITE_BALANCES[wb];
  return out;
}

/** EXIF LensSpecification (min/max focal length, min aperture at each) as `24–70 mm f/2.8–4`. */
export function lensSpecification(value: unknown): string | undefined {
  const parts = Array.isArray(value) || ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<unknown>, num) : [];
  const [fMin, fMax, aMin, aMax] = parts;
  if (fMin === undefined || !(fMin > 0) || fMin > 10_000) return undefined;
  const focal = fMax !== undefined && fMax > fMin && fMax <= 10_000 ? `${round(fMin)}–${round(fMax)} mm` : `${round(fMin)} mm`;
  const valid = (a: number | undefined) => a !== undefined && a > 0 && a < 1000;
  if (!valid(aMin)) return focal;
  const aperture = valid(aMax) && aMax! !== aMin! ? `f/${round(aMin!)}–${round(aMax!)}` : `f/${round(aMin!)}`;
  return `${focal} ${aperture}`;
}

/** Exposure compensation for display: `+0.7 EV`, `−1 EV`, `0 EV`. */
export function formatBias(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  const r = round(Math.abs(value));
  return value > 0 ? `+${r} EV` : value < 0 ? `−${r} EV` : '0 EV';
}

/** Display text of one field's value (units added where the number alone is unclear). */
export function formatValue(key: string, value: MetadataValue): string {
  if (value === null) return '';
  if (key === 'focalLength35mm' && typeof value === 'number') return `${value} mm`;
  if (key === 'exposureBias') return formatBias(value);
  return value instanceof Date ? value.toISOString() : String(value);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function int(value: unknown): number | undefined {
  const n = num(Array.isArray(value) ? value[0] : value);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '').replace(/\s+/g, ' ').trim();
  return cleaned ? [...cleaned].slice(0, max).join('') : undefined;
}
