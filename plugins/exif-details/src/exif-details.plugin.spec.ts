import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exifSegment, insertJpegSegments, type Ifd } from '../../../test/fixtures/jpeg-segments.js';
import { HookRegistry } from '../../../src/hooks/hook.registry.js';
import type { HookContext, PhotoMetadata, PhotoView, RenderContext, SourceFileRef } from '../../../src/hooks/hook-payloads.js';
import { extractMetadata } from '../../../src/metadata/metadata.extractor.js';
import { loadPlugins } from '../../../src/plugins/plugin.loader.js';

const pluginsRoot = fileURLToPath(new URL('../../', import.meta.url));
const ctx: HookContext = { actor: { userId: 1, username: 'ada', role: 'admin', via: 'session' } };
const render: RenderContext = { ...ctx, page: 'photo', url: '/photos/1', theme: 'default' };
const short = (value: number) => ({ type: 'short', value }) as const;
const rational = (...value: Array<[number, number]>) => ({ type: 'rational', value }) as const;

/** What a Sony body with a zoom writes: aperture priority, −0.7 EV, pattern metering, flash off (auto mode), auto WB. */
const SONY_EXIF: Ifd = {
  0x829a: rational([1, 250]),
  0x8822: short(3),
  0x9204: { type: 'srational', value: [[-7, 10]] },
  0x9207: short(5),
  0x9209: short(0x18),
  0x920a: rational([35, 1]),
  0xa402: short(0),
  0xa403: short(0),
  0xa405: short(52),
  0xa432: rational([24, 1], [70, 1], [28, 10], [4, 1]),
  0xa433: { type: 'ascii', value: 'Sony' },
  0xa434: { type: 'ascii', value: 'FE 24-70mm F2.8-4' },
};

let dir: string;
let photo: string;
let bare: string;

async function jpeg(exif?: Ifd): Promise<Buffer> {
  const pixels = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#888' } }).jpeg().toBuffer();
  return exif ? insertJpegSegments(pixels, [exifSegment({ ifd0: { 0x010f: { type: 'ascii', value: 'SONY' } }, exif })]) : pixels;
}

function fileRef(path: string): SourceFileRef {
  return { path, originalName: 'a.jpg', mimeType: 'image/jpeg', size: readFileSync(path).length, sha256: 'x'.repeat(64) };
}

async function payload(path: string, withRaw: boolean): Promise<PhotoMetadata> {
  const m = await extractMetadata(path);
  return {
    takenAt: m.takenAt, author: m.author, copyright: m.copyright, title: m.title, description: m.description,
    cameraMake: m.cameraMake, cameraModel: m.cameraModel, lens: m.lens, latitude: m.latitude, longitude: m.longitude,
    keywords: m.tags, plugins: { other: { kept: true } }, ...(withRaw ? { raw: m.raw } : {}),
  };
}

async function load() {
  const hooks = new HookRegistry();
  const { registry } = await loadPlugins({ roots: [pluginsRoot], coreVersion: '0.1.0', hooks, isEnabled: (n) => n === 'exif-details' });
  return { hooks, registry };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'exif-details-'));
  photo = join(dir, 'sony.jpg');
  bare = join(dir, 'bare.jpg');
  writeFileSync(photo, await jpeg(SONY_EXIF));
  writeFileSync(bare, await jpeg());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXPECTED = {
  lensMake: 'Sony',
  lensRange: '24–70 mm f/2.8–4',
  focalLength35mm: 52,
  exposureProgram: 'Aperture priority',
  exposureMode: 'Auto',
  exposureBias: -0.7,
  meteringMode: 'Pattern',
  flash: 'Did not fire',
  whiteBalance: 'Auto',
};

describe('exif-details plugin', () => {
  it('declares typed, public fields, most of them searchable, plus its partial and helper', async () => {
    const { registry } = await load();
    expect(registry.get('metadataField', 'focalLength35mm')?.value).toMatchObject({ type: 'number', public: true, searchable: true });
    expect(registry.get('metadataField', 'exposureProgram')?.value).toMatchObject({ type: 'enum', searchable: true });
    expect(registry.get('partial', 'exif-details/panel')).toBeDefined();
    expect(registry.get('helper', 'exif-details:ev')).toBeDefined();
  });

  it('photo.metadata adds the fields from the EXIF core already read, keeping other plugins\' values', async () => {
    const { hooks } = await load();
    const out = await hooks.applyFilter('photo.metadata', await payload(photo, true), fileRef(photo), ctx);
    expect(out.plugins).toEqual({ other: { kept: true }, 'exif-details': EXPECTED });
    expect(out.lens).toBe('FE 24-70mm F2.8-4'); // core's own field is left alone
  });

  it('reads the file itself when core passed no raw EXIF, with the same result', async () => {
    const { hooks } = await load();
    const out = await hooks.applyFilter('photo.metadata', await payload(photo, false), fileRef(photo), ctx);
    expect(out.plugins['exif-details']).toEqual(EXPECTED);
  });

  it('leaves metadata unchanged for a photo without EXIF, or an unreadable file', async () => {
    const { hooks } = await load();
    const input = await payload(bare, true);
    expect(await hooks.applyFilter('photo.metadata', input, fileRef(bare), ctx)).toBe(input);
    const noRaw = await payload(bare, false);
    expect(await hooks.applyFilter('photo.metadata', noRaw, { ...fileRef(bare), path: join(dir, 'gone.jpg') }, ctx)).toBe(noRaw);
  });

  it('every value it produces passes its own field declaration (type, enum values, validate)', async () => {
    const { registry } = await load();
    for (const [key, value] of Object.entries(EXPECTED)) {
      const field = registry.get('metadataField', key)!.value;
      if (field.type === 'enum') expect(field.values).toContain(value);
      else expect(typeof value).toBe(field.type);
      expect(field.validate?.(value)).toBeUndefined();
    }
    expect(registry.get('metadataField', 'focalLength35mm')!.value.validate!(0)).toMatch(/between 1 and 10000/);
    expect(registry.get('metadataField', 'exposureBias')!.value.validate!(99)).toMatch(/EV/);
  });

  it('photo.viewModel lists the public values with labels and units; the partial renders them escaped', async () => {
    const { hooks, registry } = await load();
    const view = { metadata: { ...EXPECTED, lensMake: '<b>Sony</b>', title: 'x' }, extensions: { other: 1 } } as unknown as PhotoView;
    const model = await hooks.applyFilter('photo.viewModel', view, render);
    const items = (model.extensions['exif-details'] as { items: Array<{ key: string; value: string }> }).items;
    expect(model.extensions.other).toBe(1);
    expect(items.map((i) => [i.key, i.value])).toEqual([
      ['lensMake', '<b>Sony</b>'],
      ['lensRange', '24–70 mm f/2.8–4'],
      ['focalLength35mm', '52 mm'],
      ['exposureProgram', 'Aperture priority'],
      ['exposureMode', 'Auto'],
      ['exposureBias', '−0.7 EV'],
      ['meteringMode', 'Pattern'],
      ['flash', 'Did not fire'],
      ['whiteBalance', 'Auto'],
    ]);
    const hbs = Handlebars.create();
    hbs.registerHelper('t', (s: string) => s);
    const html = hbs.compile(readFileSync(registry.get('partial', 'exif-details/panel')!.value.file, 'utf8'))(model);
    expect(html).toContain('<dt>Focal length (35 mm equivalent)</dt><dd>52 mm</dd>');
    expect(html).toContain('&lt;b&gt;Sony&lt;/b&gt;');
    expect(html).not.toContain('<b>Sony');
  });

  it('photo.viewModel adds nothing when the photo has none of its fields', async () => {
    const { hooks } = await load();
    const view = { metadata: { title: 'x' }, extensions: {} } as unknown as PhotoView;
    expect(await hooks.applyFilter('photo.viewModel', view, render)).toBe(view);
  });
});
