import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { VitrineError } from '../common/errors.js';
import { LocalStorageStrategy } from './local-storage.strategy.js';
import { spoolUpload, untilDurable } from './upload-spool.js';

let root: string;
let tempDir: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vitrine-spool-'));
});
beforeEach(() => {
  tempDir = join(root, `t${n++}`);
});
afterAll(() => rm(root, { recursive: true, force: true }));

function* pieces(total: number, size: number): Generator<Buffer> {
  for (let sent = 0; sent < total; sent += size) {
    const piece = Buffer.alloc(Math.min(size, total - sent));
    for (let i = 0; i < piece.length; i++) piece[i] = (sent + i) & 0xff;
    yield piece;
  }
}

const hex = (algorithm: string, data: Buffer) => createHash(algorithm).update(data).digest('hex');

describe('spoolUpload', () => {
  it('writes the stream to a temp file and hashes it in one pass', async () => {
    const content = Buffer.concat([...pieces(300_000, 65_536)]);
    const spooled = await spoolUpload(Readable.from(pieces(300_000, 65_536)), { tempDir, maxBytes: 1_000_000 });
    expect(spooled.size).toBe(300_000);
    expect(spooled.sha256).toBe(hex('sha256', content));
    expect(spooled.md5).toBe(hex('md5', content));
    expect(await readFile(spooled.path)).toEqual(content);
    expect(spooled.path.startsWith(tempDir)).toBe(true);
  });

  it('keeps every byte in order across the 1 MiB write batches, whatever the chunk sizes', async () => {
    const content = Buffer.alloc(3 * 1024 * 1024 + 12_345);
    for (let i = 0, x = 0x2545f491; i < content.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      content[i] = x & 0xff;
    }
    const sizes = [1, 1024 * 1024 - 1, 2, 1_500_000, 7, 65_536];
    // The producer reuses one buffer after each yield, as some streams do: the spool must copy.
    async function* reusing(): AsyncGenerator<Buffer> {
      const scratch = Buffer.alloc(2 * 1024 * 1024);
      for (let at = 0, k = 0; at < content.length; k++) {
        const length = Math.min(sizes[k % sizes.length]!, content.length - at);
        content.copy(scratch, 0, at, at + length);
        yield scratch.subarray(0, length);
        scratch.fill(0xee);
        at += length;
      }
    }
    const spooled = await spoolUpload(reusing(), { tempDir, maxBytes: 10_000_000 });
    expect(spooled.size).toBe(content.length);
    expect(spooled.sha256).toBe(hex('sha256', content));
    expect(spooled.md5).toBe(hex('md5', content));
    expect((await readFile(spooled.path)).equals(content)).toBe(true);
  });

  it('names the temp file randomly and creates it private (0600)', async () => {
    const a = await spoolUpload(Readable.from([Buffer.from('a')]), { tempDir, maxBytes: 10 });
    const b = await spoolUpload(Readable.from([Buffer.from('a')]), { tempDir, maxBytes: 10 });
    expect(a.path).not.toBe(b.path);
    expect(a.path).toMatch(/upload-\d+x[0-9a-f]{8}-[0-9a-f]{32}\.part$/);
    expect((await stat(a.path)).mode & 0o777).toBe(0o600);
  });

  it('accepts exactly maxBytes', async () => {
    const spooled = await spoolUpload(Readable.from(pieces(1000, 100)), { tempDir, maxBytes: 1000 });
    expect(spooled.size).toBe(1000);
  });

  it('aborts at maxBytes + 1 with too_large, deletes the temp file and stops reading', async () => {
    let pulled = 0;
    const source = Readable.from(
      (function* () {
        for (const piece of pieces(10_000, 100)) {
          pulled++;
          yield piece;
        }
      })(),
    );
    const error = await spoolUpload(source, { tempDir, maxBytes: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VitrineError);
    expect(error).toMatchObject({ kind: 'too_large', code: 'upload.too_large' });
    expect(pulled).toBeLessThan(100);
    expect(source.destroyed).toBe(true);
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('says the limit in the message', async () => {
    await expect(spoolUpload(Readable.from(pieces(3 * 1024 * 1024, 65_536)), { tempDir, maxBytes: 2 * 1024 * 1024 })).rejects.toThrow(
      'The file is larger than the 2 MB limit.',
    );
  });

  it('refuses empty input and leaves nothing behind', async () => {
    const error = await spoolUpload(Readable.from([]), { tempDir, maxBytes: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid', code: 'upload.empty', message: 'The file is empty.' });
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('removes the temp file when the client stream fails midway', async () => {
    const source = new PassThrough();
    const pending = spoolUpload(source, { tempDir, maxBytes: 1_000_000 });
    source.write(Buffer.alloc(5000));
    setImmediate(() => source.destroy(new Error('connection reset')));
    await expect(pending).rejects.toThrow('connection reset');
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('survives a stream that fails before spooling starts reading it', async () => {
    const source = new PassThrough();
    const pending = spoolUpload(source, { tempDir, maxBytes: 1_000_000 });
    source.destroy(new Error('early reset'));
    await expect(pending).rejects.toThrow('early reset');
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('removes the temp file when aborted through the signal', async () => {
    const source = new PassThrough();
    const controller = new AbortController();
    const pending = spoolUpload(source, { tempDir, maxBytes: 1_000_000, signal: controller.signal });
    source.write(Buffer.alloc(5000));
    setImmediate(() => controller.abort());
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('accepts any async iterable of bytes or strings', async () => {
    async function* gen() {
      yield 'héllo ';
      yield new Uint8Array([0x77, 0x6f, 0x72, 0x6c, 0x64]);
    }
    const spooled = await spoolUpload(gen(), { tempDir, maxBytes: 100 });
    expect((await readFile(spooled.path)).toString()).toBe('héllo world');
    expect(spooled.size).toBe(Buffer.byteLength('héllo world'));
  });
});

describe('untilDurable', () => {
  // FileHandle is not exported: spy on the prototype of a real one.
  const fileHandlePrototype = async () => {
    const handle = await open(__filename, 'r');
    await handle.close();
    return Object.getPrototypeOf(handle) as { sync: () => Promise<void> };
  };
  afterEach(() => vi.restoreAllMocks());

  it('waits for the background fsync of a spooled file, once; other paths resolve at once', async () => {
    let release!: () => void;
    const proto = await fileHandlePrototype();
    const real = proto.sync;
    vi.spyOn(proto, 'sync').mockImplementation(function (this: unknown) {
      return new Promise<void>((res) => (release = res)).then(() => real.call(this));
    });
    const spooled = await spoolUpload(Readable.from(pieces(10_000, 4096)), { tempDir, maxBytes: 1_000_000 });
    let durable = false;
    const waiting = untilDurable(spooled.path).then(() => (durable = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(durable).toBe(false);
    release();
    await waiting;
    expect(durable).toBe(true);
    await expect(untilDurable(spooled.path)).resolves.toBeUndefined();
    await expect(untilDurable(join(tempDir, 'never-spooled'))).resolves.toBeUndefined();
  });

  it('reports a failed fsync, and storage refuses to publish the file', async () => {
    const proto = await fileHandlePrototype();
    vi.spyOn(proto, 'sync').mockRejectedValue(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    const spooled = await spoolUpload(Readable.from(pieces(10_000, 4096)), { tempDir, maxBytes: 1_000_000 });
    const storage = new LocalStorageStrategy(join(root, `data${n++}`));
    await expect(storage.putOriginal(spooled.path, spooled.sha256, 'jpg')).rejects.toThrow(/EIO/);
    await expect(readdir(join(root, `data${n - 1}`))).rejects.toThrow(/ENOENT/);
  });
});
