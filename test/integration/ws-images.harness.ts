/**
 * Drives the pwg.images.* handlers through the ws.php engine (parse → invoke) on the real services
 * of a media test app, without HTTP: a toy context stands for the session (admin or guest), files
 * are written to temp files as the multipart reader would.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Principal } from '../../src/access/principal.js';
import { GUEST } from '../../src/access/principal.js';
import { parseWsRequest } from '../../src/piwigo/ws-request.parser.js';
import { WsInvoker } from '../../src/piwigo/ws-invoker.js';
import { WsMethodRegistry } from '../../src/piwigo/ws-method.registry.js';
import type { WsFormat } from '../../src/piwigo/ws-response.encoder.js';
import type { WsUploadedFile } from '../../src/piwigo/ws-request.parser.js';
import { WsImagesModule, wsImageMethods } from '../../src/ws-images/ws-images.module.js';
import type { WsImagesSettings } from '../../src/ws-images/ws-images.settings.js';
import { wsTestContext } from '../fixtures/piwigo/ws-context.fixture.js';
import type { MediaTestApp } from '../e2e/media-harness.js';

export interface WsCallInput {
  http?: 'GET' | 'POST';
  query?: string;
  body?: Array<[string, string]>;
  files?: Array<{ field: string; filename: string; data: Buffer }>;
  as?: 'admin' | 'guest';
  format?: WsFormat;
}

/** An invoker over the pwg.images.* methods of the app, sessions `session-admin` / `session-guest`. */
export function wsImagesHarness(t: MediaTestApp, settings: WsImagesSettings = { uniquenessMode: 'md5sum' }) {
  const admin: Principal = { kind: 'user', userId: t.users.admin, username: 'root', role: 'admin', privacyLevel: 8 };
  const registry = new WsMethodRegistry();
  const module = t.app.get(WsImagesModule);
  const deps = module.deps((ctx) => (ctx.principal.status === 'guest' ? GUEST : admin), settings);
  for (const method of wsImageMethods(deps)) registry.register(method);
  const invoker = new WsInvoker(registry);
  const spool = mkdtempSync(join(tmpdir(), 'ws-parts-'));
  let n = 0;
  const ctxOf = (who: 'admin' | 'guest') =>
    who === 'admin' ? wsTestContext({ status: 'admin', userId: t.users.admin, sessionId: 'session-admin' }) : wsTestContext({ sessionId: 'session-guest' });
  return {
    admin,
    deps,
    token: ctxOf('admin').session.pwgToken,
    async call(input: WsCallInput) {
      const files: WsUploadedFile[] = (input.files ?? []).map((f) => {
        const path = join(spool, `part-${++n}`);
        writeFileSync(path, f.data);
        return { field: f.field, filename: f.filename, contentType: 'image/jpeg', size: f.data.length, path };
      });
      const request = parseWsRequest({ httpMethod: input.http ?? 'POST', query: input.query ?? `format=${input.format ?? 'json'}`, body: input.body ?? [], files });
      return invoker.invoke({ ...request, format: input.format ?? 'json' }, ctxOf(input.as ?? 'admin'));
    },
  };
}

export const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');

/** A JPEG with EXIF (capture date, camera, artist) whose pixels depend on `seed`. */
export function exifJpeg(seed: number, width = 320, height = 240): Promise<Buffer> {
  const c = (k: number) => (k % 256).toString(16).padStart(2, '0');
  return sharp({ create: { width, height, channels: 3, background: `#${c(seed * 37)}${c(seed * 91 + 40)}${c(seed * 13 + 90)}` } })
    .withExif({
      IFD0: { Make: 'Canon', Model: 'EOS 5D', Artist: 'Exif Artist' },
      IFD2: { DateTimeOriginal: '2022:09:01 08:20:00' },
    })
    .jpeg({ quality: 80 })
    .toBuffer();
}
