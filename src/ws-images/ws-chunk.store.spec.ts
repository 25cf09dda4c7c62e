import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WsChunkStore } from './ws-chunk.store.js';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const store = (overrides: Partial<ConstructorParameters<typeof WsChunkStore>[0]> = {}) => {
  const root = join(mkdtempSync(join(tmpdir(), 'ws-chunks-')), 'spool');
  return { root, store: new WsChunkStore({ root, maxFileBytes: 1000, maxTotalBytes: 1500, ttlMs: 60_000, ...overrides }) };
};
const entries = (root: string) => readdirSync(root);

describe('WsChunkStore', () => {
  it('plupload: appends in order, assembles after the last chunk, leaves only the assembled file', async () => {
    const { root, store: s } = store();
    expect(await s.appendSequential(1, 'a.jpg', 0, 3, { buffer: Buffer.from('abc') })).toBeNull();
    expect(await s.appendSequential(1, 'a.jpg', 1, 3, { buffer: Buffer.from('def') })).toBeNull();
    const done = await s.appendSequential(1, 'a.jpg', 2, 3, { buffer: Buffer.from('g') });
    expect(done).toMatchObject({ size: 7, md5: md5(Buffer.from('abcdefg')) });
    expect(readFileSync(done!.path, 'utf8')).toBe('abcdefg');
    expect(entries(root)).toEqual([done!.path.split('/').pop()]);
  });

  it('plupload: keys by user, restarts on chunk 0, refuses gaps and drops the partial upload', async () => {
    const { root, store: s } = store();
    await s.appendSequential(1, 'a.jpg', 0, 2, { buffer: Buffer.from('x') });
    await s.appendSequential(2, 'a.jpg', 0, 2, { buffer: Buffer.from('y') });
    expect(entries(root)).toHaveLength(2);
    await expect(s.appendSequential(1, 'a.jpg', 1, 3, { buffer: Buffer.from('z') })).rejects.toMatchObject({ code: 1003 });
    await expect(s.appendSequential(2, 'a.jpg', 5, 2, { buffer: Buffer.from('z') })).rejects.toMatchObject({ code: 1003 });
    expect(entries(root)).toHaveLength(0);
  });

  it('bounds one file and the total of pending uploads', async () => {
    const { root, store: s } = store();
    await expect(s.putPositioned(1, 'a'.repeat(32), 'file', 1, Buffer.alloc(1001))).rejects.toMatchObject({ kind: 'too_large' });
    expect(entries(root)).toHaveLength(0);
    await s.putPositioned(1, 'b'.repeat(32), 'file', 1, Buffer.alloc(900));
    await expect(s.putPositioned(1, 'c'.repeat(32), 'file', 1, Buffer.alloc(700))).rejects.toMatchObject({ code: 503 });
    expect(entries(root)).toHaveLength(1);
  });

  it('addChunk: positions sort numerically, invalid sums and positions are refused', async () => {
    const { store: s } = store();
    const sum = 'd'.repeat(32);
    await s.putPositioned(1, sum, 'file', 10, Buffer.from('C'));
    await s.putPositioned(1, sum, 'file', 2, Buffer.from('B'));
    await s.putPositioned(1, sum, 'file', 1, Buffer.from('A'));
    const done = await s.assemblePositioned(1, sum, 'file');
    expect(readFileSync(done!.path, 'utf8')).toBe('ABC');
    expect(await s.assemblePositioned(1, sum, 'file')).toBeNull();
    await expect(s.putPositioned(1, '../etc', 'file', 1, Buffer.from('x'))).rejects.toMatchObject({ code: 1003 });
    await expect(s.putPositioned(1, sum, 'file', -1, Buffer.from('x'))).rejects.toMatchObject({ code: 1003 });
  });

  it('uploadAsync: checks each chunk md5, any order, checks the merged md5', async () => {
    const { root, store: s } = store();
    const whole = Buffer.from('hello world');
    const parts = [whole.subarray(0, 5), whole.subarray(5)];
    await expect(s.putNumbered(1, md5(whole), 0, 2, '0'.repeat(32), { buffer: parts[0]! })).rejects.toMatchObject({ code: 500, message: 'MD5 checksum chunk file mismatched' });
    expect(await s.putNumbered(1, md5(whole), 1, 2, md5(parts[1]!), { buffer: parts[1]! })).toEqual({ received: [1], assembled: null });
    const done = await s.putNumbered(1, md5(whole), 0, 2, md5(parts[0]!), { buffer: parts[0]! });
    expect(readFileSync(done.assembled!.path, 'utf8')).toBe('hello world');

    const wrong = 'e'.repeat(32);
    await expect(s.putNumbered(1, wrong, 0, 1, md5(parts[0]!), { buffer: parts[0]! })).rejects.toMatchObject({ code: 500, message: 'MD5 checksum merged file mismatched' });
    expect(entries(root).filter((e) => !done.assembled!.path.endsWith(e))).toEqual([]);
  });

  it('sweep removes uploads untouched for longer than the TTL', async () => {
    const { root, store: s } = store();
    await s.appendSequential(1, 'old.jpg', 0, 2, { buffer: Buffer.from('x') });
    await s.appendSequential(1, 'new.jpg', 0, 2, { buffer: Buffer.from('y') });
    const [first] = entries(root);
    const past = new Date(Date.now() - 120_000);
    utimesSync(join(root, first!), past, past);
    expect(await s.sweep()).toBe(1);
    expect(entries(root)).toHaveLength(1);
  });
});
