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

/** The prefix of a well-formed key, or null. */
export function apiKeyPrefix(key: string): string | null {
  return API_KEY_PATTERN.exec(key)?.[1] ?? null;
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
