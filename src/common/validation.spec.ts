import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VitrineError } from './errors.js';
import { parseId, parseInput } from './validation.js';

describe('parseInput', () => {
  const schema = z.strictObject({ name: z.string().min(1), count: z.number().int().optional() });

  it('returns the parsed value', () => {
    expect(parseInput(schema, { name: 'x', count: 2 })).toEqual({ name: 'x', count: 2 });
  });

  it('lists every failing field and refuses unknown ones', () => {
    try {
      parseInput(schema, { name: '', count: 1.5, extra: true });
      throw new Error('should fail');
    } catch (e) {
      const err = e as VitrineError;
      expect(err.kind).toBe('invalid');
      expect(err.fields?.map((f) => f.path).sort()).toEqual(['(root)', 'count', 'name']);
      expect(err.fields?.find((f) => f.path === '(root)')?.message).toContain('extra');
    }
  });

  it('treats impossible ids as not found', () => {
    expect(parseId('42', 'album')).toBe(42);
    expect(() => parseId('-1', 'album')).toThrow(/does not exist/);
    expect(() => parseId('99999999999', 'album')).toThrow(VitrineError);
  });
});
