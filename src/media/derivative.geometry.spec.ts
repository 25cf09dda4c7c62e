import { describe, expect, it } from 'vitest';
import { intermediateDimensions, targetDimensions } from './derivative.geometry.js';
import { PIWIGO_SIZES } from './image-size.registry.js';

const fit = (width: number, height: number) => ({ width, height, crop: false });
const square = { width: 120, height: 120, crop: true };

describe('targetDimensions', () => {
  it('fits inside the box keeping the aspect ratio', () => {
    expect(targetDimensions({ width: 4000, height: 3000 }, fit(792, 594))).toEqual({ width: 792, height: 594 });
    expect(targetDimensions({ width: 3000, height: 4000 }, fit(792, 594))).toEqual({ width: 446, height: 594 });
    expect(targetDimensions({ width: 6000, height: 1000 }, fit(144, 144))).toEqual({ width: 144, height: 24 });
  });

  it('never enlarges', () => {
    expect(targetDimensions({ width: 300, height: 200 }, fit(792, 594))).toEqual({ width: 300, height: 200 });
    expect(targetDimensions({ width: 100, height: 80 }, square)).toEqual({ width: 80, height: 80 });
    expect(targetDimensions({ width: 200, height: 80 }, square)).toEqual({ width: 80, height: 80 });
  });

  it('crops square sizes to the full box when the source is large enough', () => {
    expect(targetDimensions({ width: 4000, height: 3000 }, square)).toEqual({ width: 120, height: 120 });
    expect(targetDimensions({ width: 130, height: 125 }, square)).toEqual({ width: 120, height: 120 });
  });

  it('keeps at least one pixel on each side', () => {
    expect(targetDimensions({ width: 10000, height: 1 }, fit(144, 144))).toEqual({ width: 144, height: 1 });
  });
});

describe('intermediateDimensions', () => {
  it('is just big enough for the largest requested size', () => {
    const eager = [square, fit(144, 144), fit(792, 594)];
    expect(intermediateDimensions({ width: 4000, height: 3000 }, eager)).toEqual({ width: 792, height: 594 });
  });

  it('is big enough for a square crop of a panorama', () => {
    const mid = intermediateDimensions({ width: 8000, height: 1000 }, [square, fit(144, 144)]);
    expect(mid.height).toBeGreaterThanOrEqual(120);
    expect(mid).toEqual({ width: 960, height: 120 });
  });

  it('never exceeds the source', () => {
    const all = Object.values(PIWIGO_SIZES);
    expect(intermediateDimensions({ width: 500, height: 400 }, all)).toEqual({ width: 500, height: 400 });
  });
});
