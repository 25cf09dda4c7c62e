import { basename, extname } from 'node:path';

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 + RFC 8187) for a client-supplied
 * name: path parts, control and bidi characters removed, the ASCII fallback stripped of quotes and
 * backslashes, and the extension forced to the stored (sniffed) one so a `.html` name cannot
 * travel with image bytes.
 */
export function attachmentDisposition(originalName: string, ext: string, fallbackStem: string): string {
  let name = basename(originalName.replace(/\\/g, '/'))
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .slice(0, 200);
  const wanted = `.${ext}`;
  const current = extname(name).toLowerCase();
  const equivalent = current === wanted || (ext === 'jpg' && current === '.jpeg') || (ext === 'tif' && current === '.tiff');
  if (!name || name.startsWith('.')) name = fallbackStem + wanted;
  else if (!equivalent) name = `${name.slice(0, name.length - current.length) || fallbackStem}${wanted}`;
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
