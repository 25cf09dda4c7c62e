import { describe, expect, it } from 'vitest';
import { emptyMetadata, METADATA_LIMITS } from '../metadata/metadata.model.js';
import { fromHookMetadata, toHookMetadata } from './photo-ingest.mapping.js';

describe('photo.metadata hook mapping', () => {
  const extracted = {
    ...emptyMetadata(),
    title: 'Harbour',
    takenAt: new Date('2024-06-01T08:00:00Z'),
    takenAtOffset: '+02:00',
    latitude: 64.1,
    longitude: -21.9,
    tags: ['sea'],
  };

  it('round-trips what no plugin changed', () => {
    const back = fromHookMetadata(extracted, toHookMetadata(extracted));
    expect(back).toMatchObject({ title: 'Harbour', takenAt: extracted.takenAt, takenAtOffset: '+02:00', latitude: 64.1, longitude: -21.9, tags: ['sea'] });
  });

  it('sanitises what a plugin returns: bounds, lengths, dates and keyword lists', () => {
    const hook = toHookMetadata(extracted);
    const back = fromHookMetadata(extracted, {
      ...hook,
      title: 'x'.repeat(METADATA_LIMITS.title + 50),
      latitude: 91,
      longitude: Number.NaN,
      takenAt: new Date('not a date'),
      keywords: 'sea, sky' as unknown as string[],
    });
    expect(back.title!.length).toBeLessThanOrEqual(METADATA_LIMITS.title);
    expect(back.latitude).toBeNull();
    expect(back.longitude).toBeNull();
    expect(back.takenAt).toBeNull();
    expect(back.takenAtOffset).toBeNull();
    expect(back.tags).toEqual([]);
  });

  it('drops the time-zone offset when a plugin moves the date', () => {
    const back = fromHookMetadata(extracted, { ...toHookMetadata(extracted), takenAt: new Date('2024-06-02T08:00:00Z') });
    expect(back.takenAt).toEqual(new Date('2024-06-02T08:00:00Z'));
    expect(back.takenAtOffset).toBeNull();
  });
});
