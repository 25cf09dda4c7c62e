import { createHmac, timingSafeEqual } from 'node:crypto';

/** Name of the cookie that carries an opened share link. */
export const SHARE_COOKIE = 'vitrine_share';
/** How long an opened link stays open in the browser (the link's own expiry still applies). */
export const SHARE_COOKIE_MAX_AGE_MS = 12 * 60 * 60 * 1000;

/**
 * The cookie value proves that this browser presented the link's token (and password) recently:
 * `<linkId>.<expiresAtMs>.<hmac>`. It holds neither token nor password. The link's revocation and
 * expiry are re-checked by the visibility service on every request.
 */
export function signShareCookie(linkId: number, secret: Buffer, now = Date.now()): string {
  const payload = `${linkId}.${now + SHARE_COOKIE_MAX_AGE_MS}`;
  return `${payload}.${mac(payload, secret)}`;
}

/** The link id of a valid, unexpired cookie value, or null. */
export function verifyShareCookie(value: string | undefined, secret: Buffer, now = Date.now()): number | null {
  if (!value || value.length > 200) return null;
  const match = /^(\d{1,10})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return null;
  const [, id, expires, signature] = match;
  const expected = Buffer.from(mac(`${id}.${expires}`, secret));
  const given = Buffer.from(signature!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  if (Number(expires) < now) return null;
  return Number(id);
}

function mac(payload: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(`share:${payload}`).digest('base64url');
}
