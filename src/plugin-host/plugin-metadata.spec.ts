import { describe, expect, it } from 'vitest';
import { checkValue, MetadataFieldCatalog } from './plugin-metadata.js';

const catalog = new MetadataFieldCatalog([
  { plugin: 'film', field: { key: 'stock', type: 'string', label: 'Stock', public: true, searchable: true, validate: (v) => (String(v).length > 5 ? 'too long' : undefined) } },
  { plugin: 'film', field: { key: 'iso', type: 'number', label: 'ISO' } },
  { plugin: 'film', field: { key: 'pushed', type: 'boolean', label: 'Pushed' } },
  { plugin: 'film', field: { key: 'developed', type: 'date', label: 'Developed' } },
  { plugin: 'mood', field: { key: 'mood', type: 'enum', values: ['calm', 'wild'], label: 'Mood', public: true } },
]);

describe('MetadataFieldCatalog', () => {
  it('checks each type, the enum values and the field validator; null removes', () => {
    const stock = catalog.get('stock')!.field;
    expect(checkValue(stock, 'HP5')).toBe('HP5');
    expect(checkValue(stock, 'Portra')).toEqual({ error: 'too long' });
    expect(checkValue(stock, 5)).toEqual({ error: 'must be a string' });
    expect(checkValue(catalog.get('iso')!.field, Number.NaN)).toEqual({ error: 'must be a finite number' });
    expect(checkValue(catalog.get('pushed')!.field, 'yes')).toEqual({ error: 'must be true or false' });
    expect(checkValue(catalog.get('developed')!.field, '2024-05-01')).toBe('2024-05-01T00:00:00.000Z');
    expect(checkValue(catalog.get('developed')!.field, 'soon')).toEqual({ error: 'must be an ISO 8601 date' });
    expect(checkValue(catalog.get('mood')!.field, 'sad')).toEqual({ error: 'must be one of calm, wild' });
    expect(checkValue(catalog.get('iso')!.field, null)).toBeNull();
  });

  it('groups a valid patch by plugin and reports every bad key at once', () => {
    expect(catalog.validatePatch({ stock: 'HP5', mood: 'calm', iso: null })).toEqual(
      new Map([
        ['film', { stock: 'HP5', iso: null }],
        ['mood', { mood: 'calm' }],
      ]),
    );
    let error: unknown;
    try {
      catalog.validatePatch({ stock: 1, nope: 'x', mood: 'sad' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'photo.invalid_metadata', kind: 'invalid' });
    expect((error as { fields: { path: string }[] }).fields.map((f) => f.path)).toEqual(['metadata.stock', 'metadata.nope', 'metadata.mood']);
  });

  it("refuses another plugin's keys when limited to one plugin", () => {
    expect(() => catalog.validatePatch({ mood: 'calm' }, 'film')).toThrow(/plugin "film" declares no metadata field "mood"/);
  });

  it('flattens stored data for output: public fields only for visitors, unknown plugins left out', () => {
    const stored = { film: { stock: 'HP5', iso: 400 }, mood: { mood: 'wild' }, gone: { x: 1 } };
    expect(catalog.flatten(stored, true)).toEqual({ stock: 'HP5', mood: 'wild' });
    expect(catalog.flatten(stored, false)).toEqual({ stock: 'HP5', iso: 400, mood: 'wild' });
    expect(catalog.searchable().map((f) => f.field.key)).toEqual(['stock']);
  });
});
