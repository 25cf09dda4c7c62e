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
 * Blocks {@link BLOCKED_LOADERS} for the whole process (idempotent). Call it once at server boot
 * (`main.ts`). It is not called implicitly by the probe or the generator because it is global:
 * code that legitimately renders SVG with sharp in the same process (test helpers that draw
 * fixture photos) would break. Defence in depth only: the probe and the generator check the magic
 * bytes against the allowlist before sharp sees a file.
 */
export function hardenSharp(): void {
  if (hardened) return;
  sharp.block({ operation: [...BLOCKED_LOADERS] });
  // libvips' operation cache keeps recent results (50 MB by default). A gallery server decodes
  // each original once or twice, so hits are rare and the cache only raises the resident size.
  sharp.cache(false);
  hardened = true;
}
