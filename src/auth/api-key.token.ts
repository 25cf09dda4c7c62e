import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `vtr_<prefix>_<secret>`: a 12-hex-digit public prefix (lookup, display)
 * and 64 hex digits (256 bits) of secret. Only sha256 of the whole key is stored.
 */
export const API_KEY_PATTERN = /^vtr_([0-9a-f]{12})_([0-9a-f]{64})$/;

export interface NewApiKey {
  key: string;
  prefix: string;
  hash: string;
}

export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(6).toString('hex');
  const key = `vtr_${prefix}_${randomBytes(32).toString('hex')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/**
 * Keys created through ws.php (`pwg.users.api_key.create`) have Piwigo's shape, because its clients
 * parse it: `pkid-YYYYMMDD-<20 alphanumerics>:<40 alphanumerics>` (the public id, then the secret;
 * clients send both joined by `:` in `X-PIWIGO-API`). The public id is the stored prefix.
 */
export const PIWIGO_API_KEY_PATTERN = /^(pkid-\d{8}-[A-Za-z0-9]{20}):([A-Za-z0-9]{40})$/;

/** A key in Piwigo's shape (see {@link PIWIGO_API_KEY_PATTERN}), dated `now` (UTC). */
export function generatePiwigoApiKey(now: Date): NewApiKey {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '');
  const prefix = `pkid-${date}-${randomAlphanumerics(20)}`;
  const key = `${prefix}:${randomAlphanumerics(40)}`;
  return { key, prefix, hash: hashApiKey(key) };
}

function randomAlphanumerics(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += alphabet[byte % 62]; // 248 = 4 × 62: no modulo bias
    }
  }
  return out;
}

/** The prefix of a well-formed key (either shape), or null. */
export function apiKeyPrefix(key: string): string | null {
  return API_KEY_PATTERN.exec(key)?.[1] ?? PIWIGO_API_KEY_PATTERN.exec(key)?.[1] ?? null;
}

/** sha256 of the key, lower-case hex (the `api_keys.key_hash` value). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests (false when lengths differ). */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
