import { open, type FileHandle } from 'node:fs/promises';

/** A half-open byte range `[start, end)` of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

const WINDOW = 64 * 1024;

/**
 * Random-access reads over a file without loading it: the container walkers use it to hop from
 * header to header, and the markup scanner to stream ranges. Keeps one 64 KiB window cached so
 * byte-by-byte walks (GIF sub-blocks, JPEG markers) do not turn into one syscall per byte.
 */
export class FileByteReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;

  private constructor(
    private readonly handle: FileHandle,
    /** Size of the file in bytes when it was opened. */
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileByteReader> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      return new FileByteReader(handle, size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Reads up to `length` bytes at `position` (fewer at end of file). The result is a copy. */
  async read(position: number, length: number): Promise<Buffer> {
    const wanted = Math.max(0, Math.min(length, this.size - position));
    if (wanted === 0) return Buffer.alloc(0);
    if (position >= this.windowStart && position + wanted <= this.windowStart + this.window.length) {
      return Buffer.from(this.window.subarray(position - this.windowStart, position - this.windowStart + wanted));
    }
    // Not zero-filled: only the `bytesRead` bytes the read wrote are returned.
    const buffer = Buffer.allocUnsafe(wanted);
    const { bytesRead } = await this.handle.read(buffer, 0, wanted, position);
    return buffer.subarray(0, bytesRead);
  }

  /**
   * Returns a window of the file that starts at `position` and holds at least `min` bytes when the
   * file has them. Callers read synchronously from `bytes` at `position - base`. When the cached
   * window does not cover the request, `readAhead` bytes (default 64 KiB) are read: sequential
   * scans over megabytes (JPEG entropy-coded data) pass 1 MiB, so a 5 MB photo costs five reads,
   * not eighty.
   */
  async windowAt(position: number, min = 1, readAhead = WINDOW): Promise<{ base: number; bytes: Buffer }> {
    const cachedEnd = this.windowStart + this.window.length;
    const enough = Math.min(min, this.size - position);
    if (!(position >= this.windowStart && position + enough <= cachedEnd)) {
      const length = Math.max(readAhead, min);
      // Not zero-filled: the window is cut to the bytes the read wrote.
      const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.size - position)));
      const { bytesRead } = buffer.length ? await this.handle.read(buffer, 0, buffer.length, position) : { bytesRead: 0 };
      this.window = buffer.subarray(0, bytesRead);
      this.windowStart = position;
    }
    return { base: this.windowStart, bytes: this.window };
  }

  /** One byte, or -1 past the end. */
  async byteAt(position: number): Promise<number> {
    if (position < 0 || position >= this.size) return -1;
    const { base, bytes } = await this.windowAt(position);
    return bytes[position - base] ?? -1;
  }

  /**
   * Streams `[start, end)` in pieces of `chunk` bytes; consecutive pieces overlap by `overlap` bytes.
   * One buffer is reused: a piece's `bytes` are valid until the loop asks for the next piece
   * (copy what must outlive it).
   */
  async *stream(range: ByteRange, chunk = 1024 * 1024, overlap = 0): AsyncGenerator<{ offset: number; bytes: Buffer }> {
    const end = Math.min(range.end, this.size);
    let buffer: Buffer | undefined;
    for (let at = Math.max(0, range.start); at < end; ) {
      const length = Math.min(chunk, end - at);
      buffer ??= Buffer.allocUnsafe(length);
      const { bytesRead } = await this.handle.read(buffer, 0, length, at);
      if (bytesRead === 0) return;
      yield { offset: at, bytes: buffer.subarray(0, bytesRead) };
      if (at + bytesRead >= end) return;
      at += Math.max(1, bytesRead - overlap);
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
