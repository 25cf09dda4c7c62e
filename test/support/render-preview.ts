/**
 * Renders every fixture page of the bundled themes to static HTML and screenshots them in
 * Chromium, to look at the design. Not a test; run it by hand:
 *
 *   npx tsc --outDir dist/preview --rootDir . --module nodenext --moduleResolution nodenext \
 *     --target es2023 --lib es2023 --types node --strict --skipLibCheck --esModuleInterop --ignoreConfig \
 *     test/support/render-preview.ts && node dist/preview/test/support/render-preview.js
 *   (options: --themes default,portfolio --pages index,photo --viewports phone,desktop,4k --dark)
 *
 * Output: /tmp/vitrine-preview/<theme>/<page>.html and /tmp/vitrine-preview/shots/*.png.
 * Placeholder photos are drawn as SVG landscapes and encoded to JPEG with sharp.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { chromium } from 'playwright-core';
import { loadTheme, type Theme } from '../../src/themes/theme.loader.js';
import { FIXTURE_SHAPES, FIXTURE_SIZE_BOXES, fixturePages } from '../fixtures/themes/pages.fixture.js';

const OUT = '/tmp/vitrine-preview';
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return (i > 0 ? process.argv[i + 1] : undefined) ?? fallback;
};
const VIEWPORTS: Record<string, { width: number; height: number; scale: number }> = {
  phone: { width: 390, height: 844, scale: 2 },
  desktop: { width: 1440, height: 900, scale: 1 },
  '4k': { width: 2560, height: 1440, scale: 1 },
};

const PALETTES = [
  ['#0f2747', '#f3a65a', '#2c3e57', '#1b2a3d', '#0e1826'],
  ['#8fb6d9', '#eef3f6', '#5d7184', '#3d4c5b', '#232c35'],
  ['#2d1b3d', '#f06b4f', '#5a2a4a', '#3a1d36', '#1d0f1e'],
  ['#cfe3e8', '#fdf6e3', '#7f9c8f', '#4f6b60', '#2b3d36'],
  ['#091522', '#4fd1a5', '#16324a', '#0d2033', '#050d16'],
  ['#f4c9a8', '#fff1dc', '#b07f6b', '#7a5649', '#3f2c25'],
];

/** A landscape drawn in SVG: sky gradient, sun, three ridges and a lake. */
function sceneSvg(seed: number, width: number, height: number): string {
  let s = seed * 9301 + 49297;
  const rnd = () => ((s = (s * 9301 + 49297) % 233280) / 233280);
  const [sky, glow, far, mid, near] = PALETTES[seed % PALETTES.length]!;
  const ridge = (base: number, amp: number, color: string) => {
    const pts: string[] = [`0,${height}`];
    const steps = 9 + Math.floor(rnd() * 6);
    for (let i = 0; i <= steps; i++) pts.push(`${(i / steps) * width},${height * (base - rnd() * amp)}`);
    pts.push(`${width},${height}`);
    return `<polygon points="${pts.join(' ')}" fill="${color}"/>`;
  };
  const sunX = width * (0.2 + rnd() * 0.6);
  const sunY = height * (0.25 + rnd() * 0.25);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs>
      <linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky}"/><stop offset="1" stop-color="${glow}"/></linearGradient>
      <radialGradient id="g"><stop offset="0" stop-color="#fff" stop-opacity=".95"/><stop offset=".25" stop-color="${glow}" stop-opacity=".7"/><stop offset="1" stop-color="${glow}" stop-opacity="0"/></radialGradient>
      <linearGradient id="w" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${glow}" stop-opacity=".55"/><stop offset="1" stop-color="${near}"/></linearGradient>
    </defs>
    <rect width="100%" height="100%" fill="url(#s)"/>
    <circle cx="${sunX}" cy="${sunY}" r="${Math.min(width, height) * 0.35}" fill="url(#g)"/>
    ${ridge(0.62, 0.22, far)}${ridge(0.72, 0.16, mid)}
    <rect y="${height * 0.8}" width="100%" height="${height * 0.2}" fill="url(#w)"/>
    ${ridge(0.95, 0.12, near)}
  </svg>`;
}

async function makeImages(maxId: number): Promise<Map<number, string>> {
  const blurs = new Map<number, string>();
  for (let id = 1; id <= maxId; id++) {
    const [w, h] = FIXTURE_SHAPES[(id - 1) % FIXTURE_SHAPES.length]!;
    const dir = join(OUT, 'img', String(id));
    mkdirSync(dir, { recursive: true });
    const scale = Math.min(3840 / w, 3840 / h, 1);
    const base = await sharp(Buffer.from(sceneSvg(id, Math.round(w * scale), Math.round(h * scale)))).jpeg({ quality: 86 }).toBuffer();
    for (const [name, box] of Object.entries(FIXTURE_SIZE_BOXES)) {
      const file = join(dir, `${name}.jpg`);
      if (existsSync(file)) continue;
      await sharp(base)
        .resize(box.crop ? { width: box.width, height: box.height, fit: 'cover' } : { width: box.width, height: box.height, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 82, mozjpeg: true })
        .toFile(file);
    }
    const tiny = await sharp(base).resize(16, 16, { fit: 'inside' }).blur(1.2).webp({ quality: 40 }).toBuffer();
    blurs.set(id, `data:image/webp;base64,${tiny.toString('base64')}`);
  }
  return blurs;
}

async function main(): Promise<void> {
  const themes = arg('themes', 'default,portfolio').split(',');
  const viewports = arg('viewports', 'phone,desktop,4k').split(',');
  const dark = process.argv.includes('--dark');
  const blurs = await makeImages(26);
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  const baseUrl = `http://127.0.0.1:${port}/gallery`;
  const pages = fixturePages({ baseUrl, blur: (id) => blurs.get(id) ?? null });
  const pageNames = arg('pages', Object.keys(pages).join(',')).split(',');
  const loaded = new Map<string, Theme>();
  for (const t of themes) loaded.set(t, await loadTheme(join(REPO, 'themes', t), { logger: { warn: (m) => console.warn(m) } }));

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const img = /^\/gallery\/i\/(\d+)\/([\w-]+)\.jpg$/.exec(url.pathname);
    const asset = /^\/gallery\/assets\/([\w-]+)\/(.+)$/.exec(url.pathname);
    const page = /^\/preview\/([\w-]+)\/([\w-]+)$/.exec(url.pathname);
    if (img) {
      const file = join(OUT, 'img', img[1]!, `${img[2]}.jpg`);
      if (existsSync(file)) return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(readFileSync(file));
    } else if (asset && loaded.has(asset[1]!)) {
      const found = loaded.get(asset[1]!)!.asset(decodeURIComponent(asset[2]!));
      const type = found?.file.endsWith('.css') ? 'text/css' : found?.file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
      if (found) return res.writeHead(200, { 'content-type': type }).end(readFileSync(found.file));
    } else if (page && loaded.has(page[1]!) && pages[page[2]!]) {
      void loaded.get(page[1]!)!.renderPage(pages[page[2]!]!).then((html) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
      return;
    }
    res.writeHead(404).end('not found');
  });

  for (const [name, theme] of loaded) {
    mkdirSync(join(OUT, name), { recursive: true });
    for (const p of pageNames) writeFileSync(join(OUT, name, `${p}.html`), await theme.renderPage(pages[p]!));
  }

  mkdirSync(join(OUT, 'shots'), { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  for (const vp of viewports) {
    const v = VIEWPORTS[vp]!;
    const context = await browser.newContext({ viewport: { width: v.width, height: v.height }, deviceScaleFactor: v.scale, colorScheme: dark ? 'dark' : 'light', hasTouch: vp === 'phone' });
    const tab = await context.newPage();
    for (const theme of themes) {
      for (const p of pageNames) {
        await tab.goto(`http://127.0.0.1:${port}/preview/${theme}/${p}`, { waitUntil: 'load' });
        // Scroll through the page so lazy images load, then wait for every image.
        // (A string, so this file needs no DOM types.)
        await tab.evaluate<string[]>(`(async () => {
          for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight) {
            window.scrollTo(0, y);
            await new Promise((r) => setTimeout(r, 60));
          }
          window.scrollTo(0, 0);
          const pending = Promise.all([...document.images].map((i) => (i.complete ? undefined : new Promise((r) => i.addEventListener('load', r, { once: true })))));
          await Promise.race([pending, new Promise((r) => setTimeout(r, 5000))]);
          await Promise.all([...document.images].map((i) => i.decode().catch(() => undefined)));
          return [...document.images].filter((i) => !i.complete).map((i) => i.src);
        })()`).then((missing) => missing.length && console.warn('not loaded:', missing.slice(0, 5)));
        await tab.waitForTimeout(150);
        const file = join(OUT, 'shots', `${theme}-${p}-${vp}${dark ? '-dark' : ''}.png`);
        await tab.screenshot({ path: file, fullPage: true });
        if (p === 'photo') {
          await tab.keyboard.press('Enter');
          await tab.waitForTimeout(400);
          await tab.screenshot({ path: join(OUT, 'shots', `${theme}-${p}-lightbox-${vp}${dark ? '-dark' : ''}.png`) });
        }
        console.log(file);
      }
    }
    await context.close();
  }
  await browser.close();
  server.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
