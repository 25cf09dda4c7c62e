/**
 * Derivative generation strategies on a 12 MP JPEG. Prints medians; asserts nothing.
 *
 *   npm run build && node dist/bench/derivatives.bench.js [photo.jpg ...]
 *
 * Without arguments it synthesises a 4000×3000 JPEG (gradient + noise, ~q92). With arguments
 * (e.g. photos from /work/shared/bench/make-photos.sh) it uses those files in turn.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { targetDimensions } from '../src/media/derivative.geometry.js';
import { generateDerivatives } from '../src/media/derivative.generator.js';
import { ImageSizeRegistry, type ImageSize } from '../src/media/image-size.registry.js';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const limit = { limitInputPixels: 100_000_000, failOn: 'error' as const };

async function syntheticPhoto(path: string): Promise<void> {
  const width = 4000;
  const height = 3000;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = 128 + 100 * Math.sin(x / 90) * Math.cos(y / 70);
    }
  }
  const base = await sharp(raw, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
  const noise = await sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 0, sigma: 12 } } })
    .png({ compressionLevel: 0 })
    .toBuffer();
  await sharp(base).composite([{ input: noise, blend: 'add' }]).jpeg({ quality: 92 }).withMetadata({ orientation: 1 }).toFile(path);
}

type Strategy = (photo: string, sizes: ImageSize[], out: string) => Promise<unknown>;

function resizeFor(pipeline: Sharp, source: { width: number; height: number }, size: ImageSize): Sharp {
  const d = targetDimensions(source, size);
  return pipeline.resize(d.width, d.height, { fit: size.crop ? 'cover' : 'fill' });
}

async function sourceOf(photo: string) {
  const m = await sharp(photo).metadata();
  return { width: m.autoOrient.width, height: m.autoOrient.height };
}

const strategies: Record<string, Strategy> = {
  'decode once → raw intermediate (shipped)': (photo, sizes, out) =>
    generateDerivatives(photo, sizes, (s) => join(out, `a-${s.name}.jpg`), { maxImagePixels: 100_000_000, placeholder: false }),
  'same + blur placeholder': (photo, sizes, out) =>
    generateDerivatives(photo, sizes, (s) => join(out, `p-${s.name}.jpg`), { maxImagePixels: 100_000_000 }),
  'one pipeline per size, parallel': async (photo, sizes, out) => {
    const source = await sourceOf(photo);
    await Promise.all(sizes.map((s) => resizeFor(sharp(photo, limit).rotate(), source, s).jpeg({ quality: 82 }).toFile(join(out, `b-${s.name}.jpg`))));
  },
  'one pipeline per size, sequential': async (photo, sizes, out) => {
    const source = await sourceOf(photo);
    for (const s of sizes) await resizeFor(sharp(photo, limit).rotate(), source, s).jpeg({ quality: 82 }).toFile(join(out, `c-${s.name}.jpg`));
  },
  'sharp .rotate().clone() per size': async (photo, sizes, out) => {
    const source = await sourceOf(photo);
    const base = sharp(photo, limit).rotate();
    await Promise.all(sizes.map((s) => resizeFor(base.clone(), source, s).jpeg({ quality: 82 }).toFile(join(out, `d-${s.name}.jpg`))));
  },
  'decode once at full size → raw, resize each': async (photo, sizes, out) => {
    const source = await sourceOf(photo);
    const { data, info } = await sharp(photo, limit).rotate().raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
    await Promise.all(sizes.map((s) => resizeFor(sharp(data, raw), source, s).jpeg({ quality: 82 }).toFile(join(out, `e-${s.name}.jpg`))));
  },
};

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vitrine-bench-'));
  try {
    let photos = process.argv.slice(2);
    if (photos.length === 0) {
      const synthetic = join(dir, 'synthetic-12mp.jpg');
      await syntheticPhoto(synthetic);
      photos = [synthetic];
    }
    const registry = new ImageSizeRegistry();
    const sets: Record<string, ImageSize[]> = { 'eager (square, thumb, medium)': registry.eager(), 'all 9 enabled sizes': registry.list() };
    const meta = await sharp(photos[0]).metadata();
    console.log(`sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, sharp.concurrency()=${sharp.concurrency()}, cores=${availableParallelism()}`);
    console.log(`input: ${photos.length} file(s), first ${meta.width}×${meta.height}, ${ROUNDS} rounds (median, after one warm-up)\n`);
    for (const [setName, sizes] of Object.entries(sets)) {
      console.log(setName);
      for (const [name, run] of Object.entries(strategies)) {
        const times: number[] = [];
        for (let round = -1; round < ROUNDS; round++) {
          const photo = photos[(round + 1) % photos.length]!;
          const start = performance.now();
          await run(photo, sizes, dir);
          if (round >= 0) times.push(performance.now() - start);
        }
        times.sort((a, b) => a - b);
        const median = times[Math.floor(times.length / 2)]!;
        console.log(`  ${name.padEnd(46)} ${median.toFixed(0).padStart(6)} ms   (min ${times[0]!.toFixed(0)}, max ${times[times.length - 1]!.toFixed(0)})`);
      }
      console.log('');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
