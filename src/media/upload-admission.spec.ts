import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineError } from '../common/errors.js';
import { makeHostileFixtures, type Fixture } from '../../test/fixtures/make-hostile-fixtures.js';
import { admitUpload } from './upload-admission.js';

let dir: string;
let fixtures: Fixture[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-admit-'));
  fixtures = Object.values(await makeHostileFixtures(join(dir, 'fixtures'))).filter((f) => f.name !== 'secret.txt');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const limits = { maxBytes: 200 * 1024 * 1024, maxImagePixels: 100_000_000 };

describe('admitUpload over every fixture, streamed as an upload', () => {
  it('answers like the catalogue says, and a refusal leaves the temp dir empty', async () => {
    expect(fixtures.length).toBeGreaterThan(30);
    for (const f of fixtures) {
      const tempDir = join(dir, `tmp-${f.name}`);
      const outcome = await admitUpload(createReadStream(f.path), { ...limits, tempDir }).catch((e: unknown) => e);
      if (f.expect.accept) {
        expect(outcome, f.name).not.toBeInstanceOf(Error);
        const admitted = outcome as Awaited<ReturnType<typeof admitUpload>>;
        expect(admitted.image.format, f.name).toBe(f.expect.format);
        expect(admitted.file.size, f.name).toBe((await stat(f.path)).size);
        expect(await readdir(tempDir), f.name).toEqual([admitted.file.path.split('/').pop()]);
      } else {
        expect(outcome, f.name).toBeInstanceOf(VitrineError);
        expect({ name: f.name, kind: (outcome as VitrineError).kind, code: (outcome as VitrineError).code }).toEqual({
          name: f.name,
          kind: f.expect.kind,
          code: f.expect.code,
        });
        expect(await readdir(tempDir), f.name).toEqual([]);
      }
    }
  });

  it('refuses an image over the byte limit before probing it, leaving nothing', async () => {
    const big = fixtures.find((f) => f.name === 'metadata-bomb.jpg')!;
    const tempDir = join(dir, 'tmp-limit');
    await expect(admitUpload(createReadStream(big.path), { ...limits, maxBytes: 100_000, tempDir })).rejects.toMatchObject({
      kind: 'too_large',
      code: 'upload.too_large',
    });
    expect(await readdir(tempDir)).toEqual([]);
  });
});
