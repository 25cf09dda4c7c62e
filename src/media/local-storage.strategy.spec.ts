import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStorageStrategy, derivativeKey } from './local-storage.strategy.js';
import { PROCESS_TAG } from './process-tag.js';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vitrine-storage-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function setup() {
  const dataDir = join(root, `data${n++}`);
  const tmp = join(dataDir, 'tmp');
  await mkdir(tmp, { recursive: true });
  return { dataDir, tmp, storage: new LocalStorageStrategy(dataDir) };
}

async function tempFile(dir: string, content: string): Promise<{ path: string; sha256: string }> {
  const path = join(dir, `upload-${n++}.part`);
  await writeFile(path, content);
  return { path, sha256: createHash('sha256').update(content).digest('hex') };
}

describe('LocalStorageStrategy originals', () => {
  it('moves the temp file to originals/<ab>/<cd>/<sha256>.<ext>', async () => {
    const { dataDir, tmp, storage } = await setup();
    const file = await tempFile(tmp, 'photo bytes');
    const stored = await storage.putOriginal(file.path, file.sha256, 'jpg');
    const key = `originals/${file.sha256.slice(0, 2)}/${file.sha256.slice(2, 4)}/${file.sha256}.jpg`;
    expect(stored).toEqual({ key, created: true, size: 11 });
    expect(await readFile(join(dataDir, key), 'utf8')).toBe('photo bytes');
    expect(storage.originalPath(key)).toBe(join(dataDir, key));
    expect(await readdir(tmp)).toEqual([]);
    expect(await storage.exists(key)).toBe(true);
  });

  it('keeps one copy of identical content and discards the second temp file', async () => {
    const { tmp, storage } = await setup();
    const a = await tempFile(tmp, 'same');
    const b = await tempFile(tmp, 'same');
    expect((await storage.putOriginal(a.path, a.sha256, 'png')).created).toBe(true);
    expect((await storage.putOriginal(b.path, b.sha256, 'png')).created).toBe(false);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('falls back to copy + fsync + rename across devices, leaving no temp files', async () => {
    const dataDir = join(root, `data${n++}`);
    const tmp = join(root, `other-device${n++}`);
    await mkdir(tmp, { recursive: true });
    let calls = 0;
    const storage = new LocalStorageStrategy(dataDir, {
      rename: async (from, to) => {
        calls++;
        if (calls === 1) throw Object.assign(new Error('cross-device link not permitted'), { code: 'EXDEV' });
        return rename(from, to);
      },
    });
    const file = await tempFile(tmp, 'across');
    const stored = await storage.putOriginal(file.path, file.sha256, 'webp');
    expect(await readFile(join(dataDir, stored.key), 'utf8')).toBe('across');
    expect(await readdir(tmp)).toEqual([]);
    const dir = join(dataDir, stored.key, '..');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('rethrows other rename errors and keeps the temp file for the caller', async () => {
    const dataDir = join(root, `data${n++}`);
    await mkdir(join(dataDir, 'tmp'), { recursive: true });
    const storage = new LocalStorageStrategy(dataDir, {
      rename: async () => {
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
    });
    const file = await tempFile(join(dataDir, 'tmp'), 'x');
    await expect(storage.putOriginal(file.path, file.sha256, 'jpg')).rejects.toThrow('disk full');
    expect((await stat(file.path)).size).toBe(1);
  });

  it.each([
    ['not a hash', 'jpg'],
    ['../../etc/passwd'.padEnd(64, 'a'), 'jpg'],
    ['A'.repeat(64), 'jpg'],
  ])('refuses the hash %j', async (sha, ext) => {
    const { tmp, storage } = await setup();
    const file = await tempFile(tmp, 'x');
    await expect(storage.putOriginal(file.path, sha, ext)).rejects.toMatchObject({ code: 'storage.invalid_key' });
  });

  it.each(['php', 'svg', 'html', 'jpg/../x', ''])('refuses the extension %j', async (ext) => {
    const { tmp, storage } = await setup();
    const file = await tempFile(tmp, 'x');
    await expect(storage.putOriginal(file.path, file.sha256, ext)).rejects.toMatchObject({ code: 'storage.invalid_key' });
  });

  it('removes an original, and a second removal is not an error', async () => {
    const { tmp, storage } = await setup();
    const file = await tempFile(tmp, 'bye');
    const { key } = await storage.putOriginal(file.path, file.sha256, 'gif');
    await storage.removeOriginal(key);
    expect(await storage.exists(key)).toBe(false);
    await expect(storage.removeOriginal(key)).resolves.toBeUndefined();
    await expect(storage.removeOriginal('originals/../../../etc/passwd')).rejects.toMatchObject({ code: 'storage.invalid_key' });
  });

  it('lists stored originals and skips stray files', async () => {
    const { dataDir, tmp, storage } = await setup();
    const keys: string[] = [];
    for (const content of ['one', 'two', 'three']) {
      const file = await tempFile(tmp, content);
      keys.push((await storage.putOriginal(file.path, file.sha256, 'jpg')).key);
    }
    await writeFile(join(dataDir, keys[0]!, '..', 'stray.txt'), 'x');
    await writeFile(join(dataDir, `${keys[0]!}.abc.tmp`), 'x');
    const listed = [];
    for await (const entry of storage.listOriginals()) listed.push(entry);
    expect(listed.map((e) => e.key).sort()).toEqual([...keys].sort());
    expect(listed.every((e) => e.ext === 'jpg' && e.size >= 3 && e.key.includes(e.sha256))).toBe(true);
  });

  it('lists nothing when no original was stored yet', async () => {
    const { storage } = await setup();
    const listed = [];
    for await (const entry of storage.listOriginals()) listed.push(entry);
    expect(listed).toEqual([]);
  });
});

describe('LocalStorageStrategy derivatives', () => {
  it('places derivatives under derivatives/<id ÷ 1000>/<id>/<size>.<ext>', async () => {
    const { dataDir, storage } = await setup();
    expect(storage.derivativePath(1234567, 'medium', 'jpg')).toBe(join(dataDir, 'derivatives', '1234', '1234567', 'medium.jpg'));
    expect(derivativeKey(42, '2small', 'webp')).toBe('derivatives/0/42/2small.webp');
  });

  it('keeps a variant (image.variant) next to the clean file, and refuses a variant that is not 16 hex digits', async () => {
    const { dataDir, storage } = await setup();
    expect(storage.derivativePath(42, 'medium', 'jpg', '0123456789abcdef')).toBe(join(dataDir, 'derivatives', '0', '42', 'medium@0123456789abcdef.jpg'));
    expect(await storage.exists(derivativeKey(42, 'medium', 'jpg', '0123456789abcdef'))).toBe(false);
    for (const variant of ['', '../x', '0123456789ABCDEF', '0123456789abcdef0']) {
      expect(() => storage.derivativePath(42, 'medium', 'jpg', variant)).toThrow(expect.objectContaining({ code: 'storage.invalid_key' }));
    }
  });

  it.each([
    [0, 'medium', 'jpg'],
    [-1, 'medium', 'jpg'],
    [1.5, 'medium', 'jpg'],
    [1, '../x', 'jpg'],
    [1, 'Medium', 'jpg'],
    [1, 'medium', 'png'],
    [1, 'medium', 'jpg/../../x'],
  ])('refuses derivativePath(%j, %j, %j)', async (id, size, ext) => {
    const { storage } = await setup();
    expect(() => storage.derivativePath(id, size, ext)).toThrow(expect.objectContaining({ code: 'storage.invalid_key' }));
  });

  it('removes the temp files of dead processes from one photo directory, keeping live temps and finished files', async () => {
    const { storage } = await setup();
    const medium = storage.derivativePath(9, 'medium', 'jpg');
    const dir = join(medium, '..');
    await mkdir(dir, { recursive: true });
    const deadPid = 4_000_000; // above Linux's pid_max: no process has it
    const names = {
      finished: 'medium.jpg',
      dead: `square.jpg.${deadPid}x0123abcd.00112233aabb.tmp`,
      live: `thumb.jpg.${PROCESS_TAG}.00112233aabb.tmp`,
      untagged: 'notes.tmp',
    };
    for (const name of Object.values(names)) await writeFile(join(dir, name), 'x');
    expect(await storage.removeAbandonedDerivativeTemps(9)).toBe(1);
    expect((await readdir(dir)).sort()).toEqual([names.finished, names.untagged, names.live].sort());
    expect(await storage.removeAbandonedDerivativeTemps(10)).toBe(0); // no directory: nothing to do
  });

  it('removes every derivative of one photo and nothing else', async () => {
    const { storage } = await setup();
    for (const id of [7, 8]) {
      for (const size of ['thumb', 'medium']) {
        const path = storage.derivativePath(id, size, 'jpg');
        await mkdir(join(path, '..'), { recursive: true });
        await writeFile(path, 'x');
      }
    }
    await storage.removeDerivatives(7);
    expect(await storage.exists(derivativeKey(7, 'thumb', 'jpg'))).toBe(false);
    expect(await storage.exists(derivativeKey(8, 'thumb', 'jpg'))).toBe(true);
    await expect(storage.removeDerivatives(7)).resolves.toBeUndefined();
  });

  it('refuses keys that are neither originals nor derivatives', async () => {
    const { storage } = await setup();
    for (const key of ['tmp/upload.part', '../secret', 'originals/aa/bb/x.jpg', 'derivatives/0/1/../../x.jpg']) {
      await expect(storage.exists(key)).rejects.toMatchObject({ code: 'storage.invalid_key' });
    }
  });
});
