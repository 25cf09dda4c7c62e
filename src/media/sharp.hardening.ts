import sharp from 'sharp';

/**
 * libvips loaders a gallery never needs. SVG is the dangerous one: sharp renders it by default,
 * even from a file named `.jpg`. Blocking is by class, so subclasses (file/buffer/source loaders)
 * go too. Names libvips does not know are ignored.
 */
export const BLOCKED_LOADERS = [
  'VipsForeignLoadSvg',
  'VipsForeignLoadPdf',
  'VipsForeignLoadMagick',
  'VipsForeignLoadOpenslide',
  'VipsForeignLoadJp2k',
  'VipsForeignLoadJxl',
  'VipsForeignLoadFits',
  'VipsForeignLoadMatrix',
  'VipsForeignLoadCsv',
  'VipsForeignLoadPpm',
  'VipsForeignLoadRad',
  'VipsForeignLoadVips',
  'VipsForeignLoadAnalyze',
  'VipsForeignLoadMat',
  'VipsForeignLoadNifti',
  'VipsForeignLoadDcRaw',
] as const;

let hardened = false;

/**
 * Blocks {@link BLOCKED_LOADERS} for the whole process (idempotent). The probe and the derivative
 * generator call it before touching sharp; `main.ts` may call it at boot to make it explicit.
 * This is defence in depth: the magic-byte allowlist already keeps those formats out.
 */
export function hardenSharp(): void {
  if (hardened) return;
  sharp.block({ operation: [...BLOCKED_LOADERS] });
  hardened = true;
}
