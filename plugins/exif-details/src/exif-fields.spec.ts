import { describe, expect, it } from 'vitest';
import { exifDetails, formatBias, lensSpecification } from './exif-fields.js';

describe('exifDetails', () => {
  it('decodes every exposure program, metering mode and white balance code', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((p) => exifDetails({ ExposureProgram: p }).exposureProgram)).toEqual([
      'Manual', 'Program', 'Aperture priority', 'Shutter priority', 'Creative', 'Action', 'Portrait', 'Landscape',
    ]);
    expect([1, 2, 3, 4, 5, 6, 255].map((m) => exifDetails({ MeteringMode: m }).meteringMode)).toEqual([
      'Average', 'Center-weighted', 'Spot', 'Multi-spot', 'Pattern', 'Partial', 'Other',
    ]);
    expect([0, 1].map((w) => exifDetails({ WhiteBalance: w }).whiteBalance)).toEqual(['Auto', 'Manual']);
  });

  it('reads the flash bit field: fired, not fired, no flash function', () => {
    expect(exifDetails({ Flash: 0x01 }).flash).toBe('Fired');
    expect(exifDetails({ Flash: 0x19 }).flash).toBe('Fired'); // auto, fired
    expect(exifDetails({ Flash: 0x41 }).flash).toBe('Fired'); // red-eye reduction
    expect(exifDetails({ Flash: 0x10 }).flash).toBe('Did not fire'); // compulsory off
    expect(exifDetails({ Flash: 0x20 }).flash).toBe('No flash');
  });

  it('drops unknown codes, impossible numbers and junk, one field at a time', () => {
    expect(exifDetails({ ExposureProgram: 0, MeteringMode: 0, WhiteBalance: 7, ExposureMode: 9, Flash: 300 })).toEqual({});
    expect(exifDetails({ FocalLengthIn35mmFormat: 0, ExposureCompensation: 99, LensMake: '\u0000 \u0001' })).toEqual({});
    expect(exifDetails({ FocalLengthIn35mmFormat: 'abc', ExposureProgram: 2.5, LensInfo: 'nope' })).toEqual({});
    expect(exifDetails({ FocalLengthIn35mmFormat: 28, ExposureProgram: 'x' })).toEqual({ focalLength35mm: 28 });
  });

  it('cleans lens maker text: controls and bidi overrides removed, whitespace collapsed, capped', () => {
    expect(exifDetails({ LensMake: ' Sig\u202ema  \n Art ' }).lensMake).toBe('Sigma Art');
    expect(exifDetails({ LensMake: 'x'.repeat(500) }).lensMake).toHaveLength(200);
  });

  it('normalises a zero exposure compensation and rounds to 0.01 EV', () => {
    expect(exifDetails({ ExposureCompensation: -0 }).exposureBias).toBe(0);
    expect(exifDetails({ ExposureCompensation: 0.3333333 }).exposureBias).toBe(0.33);
  });
});

describe('lensSpecification', () => {
  it('formats zooms, primes, constant and variable apertures; tolerates missing apertures', () => {
    expect(lensSpecification([24, 70, 2.8, 4])).toBe('24–70 mm f/2.8–4');
    expect(lensSpecification([24, 70, 2.8, 2.8])).toBe('24–70 mm f/2.8');
    expect(lensSpecification([50, 50, 1.8, 1.8])).toBe('50 mm f/1.8');
    expect(lensSpecification([18, 55, 0, 0])).toBe('18–55 mm');
    expect(lensSpecification(new Float64Array([35, 35, 1.4, 1.4]))).toBe('35 mm f/1.4');
    expect(lensSpecification([0, 0, 0, 0])).toBeUndefined();
    expect(lensSpecification(undefined)).toBeUndefined();
  });
});

describe('formatBias', () => {
  it('signs and units', () => {
    expect([0.7, -1, 0, Number.NaN, 'x'].map(formatBias)).toEqual(['+0.7 EV', '−1 EV', '0 EV', '', '']);
  });
});
