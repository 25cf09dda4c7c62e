import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { albumName, FolderScanError, scanFolderTree, type FolderScanOptions, type ScanNotice, type ScannedFile } from './folder-tree.scanner.js';

let root: string;
let outside: string;

function file(path: string, content = 'x'): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
}

async function scan(options: Partial<FolderScanOptions> = {}, signal?: AbortSignal): Promise<{ files: ScannedFile[]; notices: ScanNotice[] }> {
  const files: ScannedFile[] = [];
  const notices: ScanNotice[] = [];
  for await (const f of scanFolderTree({ folder: root, ...options }, signal, (n) => notices.push(n))) files.push(f);
  return { files, notices };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'folder-importer-'));
  outside = mkdtempSync(join(tmpdir(), 'folder-importer-outside-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('scanFolderTree', () => {
  it('yields images depth-first in name order, folders becoming albums under the root folder', async () => {
    file('b.jpg');
    file('Rome/day 2/z.PNG');
    file('Rome/a.jpeg');
    file('Rome/day 1/c.tif');
    file('a.webp');
    const { files } = await scan();
    const top = basename(root);
    expect(files.map((f) => [f.item.externalId, f.item.album])).toEqual([
      ['a.webp', { path: [top] }],
      ['b.jpg', { path: [top] }],
      ['Rome/a.jpeg', { path: [top, 'Rome'] }],
      ['Rome/day 1/c.tif', { path: [top, 'Rome', 'day 1'] }],
      ['Rome/day 2/z.PNG', { path: [top, 'Rome', 'day 2'] }],
    ]);
    expect(files[2]!.item).toMatchObject({ source: { kind: 'file', path: join(root, 'Rome/a.jpeg') }, originalName: 'a.jpeg' });
  });

  it('puts the tree into the given album path instead', async () => {
    file('x/1.jpg');
    const { files } = await scan({ intoAlbum: ['Imports', '2024'] });
    expect(files[0]!.item.album).toEqual({ path: ['Imports', '2024', 'x'] });
  });

  it('skips hidden files and folders, other extensions, and never follows symbolic links', async () => {
    file('.hidden.jpg');
    file('.cache/thumb.jpg');
    file('notes.txt');
    file('photo.jpg.xmp');
    file('ok.jpg');
    writeFileSync(join(outside, 'secret.jpg'), 'x');
    mkdirSync(join(outside, 'dir'));
    writeFileSync(join(outside, 'dir', 'inside.jpg'), 'x');
    symlinkSync(join(outside, 'secret.jpg'), join(root, 'link.jpg'));
    symlinkSync(join(outside, 'dir'), join(root, 'linked-dir'));
    symlinkSync(root, join(root, 'loop'));
    const { files, notices } = await scan();
    expect(files.map((f) => f.item.externalId)).toEqual(['ok.jpg']);
    expect(notices).toEqual([
      { path: 'link.jpg', reason: 'symlink' },
      { path: 'linked-dir', reason: 'symlink' },
      { path: 'loop', reason: 'symlink' },
    ]);
  });

  it('honours the extension list', async () => {
    file('a.jpg');
    file('b.png');
    const { files } = await scan({ extensions: ['.PNG'] });
    expect(files.map((f) => f.item.originalName)).toEqual(['b.png']);
  });

  it('skips files whose size and mtime are unchanged, and offers them again once they change', async () => {
    file('a.jpg', 'one');
    file('b.jpg', 'two');
    const first = await scan();
    const known = new Map(first.files.map((f) => [f.item.externalId!, f.fingerprint]));
    expect((await scan({ unchanged: (p, fp) => known.get(p) === fp })).files).toEqual([]);
    file('b.jpg', 'three!');
    utimesSync(join(root, 'b.jpg'), new Date(), new Date(Date.now() + 5000));
    const again = await scan({ unchanged: (p, fp) => known.get(p) === fp });
    expect(again.files.map((f) => f.item.externalId)).toEqual(['b.jpg']);
  });

  it('stops when the signal aborts', async () => {
    for (let i = 0; i < 5; i++) file(`f${i}.jpg`);
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const f of scanFolderTree({ folder: root }, controller.signal)) {
      seen.push(f.item.originalName);
      if (seen.length === 2) controller.abort();
    }
    expect(seen).toEqual(['f0.jpg', 'f1.jpg']);
  });

  it('refuses a missing folder or a file with a clear error', async () => {
    file('a.jpg');
    await expect(scan({ folder: join(root, 'nope') })).rejects.toThrow(FolderScanError);
    await expect(scan({ folder: join(root, 'a.jpg') })).rejects.toThrow(/is not a readable folder/);
  });

  it('stops descending past the depth limit and reports it', async () => {
    const deep = Array.from({ length: 34 }, (_, i) => `d${i}`).join('/');
    file(`${deep}/x.jpg`);
    const { files, notices } = await scan();
    expect(files).toEqual([]);
    expect(notices).toEqual([{ path: Array.from({ length: 33 }, (_, i) => `d${i}`).join('/'), reason: 'too-deep' }]);
  });
});

describe('albumName', () => {
  it('cleans control characters and whitespace, bounds the length, never returns empty', () => {
    expect(albumName('  Rome\u0000 \t 2024 ')).toBe('Rome 2024');
    expect(albumName('\u0007')).toBe('Untitled');
    expect([...albumName('é'.repeat(300))]).toHaveLength(255);
  });
});
