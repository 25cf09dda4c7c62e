import { isIPv6 } from 'node:net';
import type { AuthSettings } from './auth.settings.js';

/** What the throttle says about one attempt. */
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const MAX_KEYS = 100_000;

/**
 * Counts failed logins per account name (as typed, lower-cased, known or not, so throttling
 * reveals nothing about which accounts exist) and per client IP (IPv6 per /64) over a sliding
 * window. In memory, per process: a restart forgets the counters, and several processes each
 * count on their own (documented in the README).
 */
export class LoginThrottle {
  /** Failure timestamps per key, oldest first, at most `limit` of them. */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly settings: AuthSettings) {}

  /** Whether an attempt for this account from this IP may be checked at all. */
  check(login: string, ip: string | null): ThrottleVerdict {
    const now = this.settings.now();
    let wait = 0;
    for (const [key, limit] of this.keys(login, ip)) {
      const times = this.live(key, now);
      if (times.length >= limit) wait = Math.max(wait, times[times.length - limit]! + this.settings.loginWindowMs - now);
    }
    return wait > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) } : { allowed: true };
  }

  /** Counts a failure; answers whether this failure used up a limit (worth an audit entry). */
  fail(login: string, ip: string | null): { limitReached: ('account' | 'ip')[] } {
    const now = this.settings.now();
    const limitReached: ('account' | 'ip')[] = [];
    if (this.failures.size >= MAX_KEYS) this.sweep(now);
    for (const [key, limit] of this.keys(login, ip)) {
      const times = this.live(key, now);
      times.push(now);
      if (times.length > limit) times.splice(0, times.length - limit);
      this.failures.set(key, times);
      if (times.length === limit) limitReached.push(key.startsWith('a:') ? 'account' : 'ip');
    }
    return { limitReached };
  }

  /** A successful login clears the account's counter (the IP's stays: one good account must not reset it). */
  succeed(login: string): void {
    this.failures.delete(accountKey(login));
  }

  private keys(login: string, ip: string | null): [string, number][] {
    const keys: [string, number][] = [[accountKey(login), this.settings.loginMaxPerAccount]];
    if (ip) keys.push([`i:${ipBucket(ip)}`, this.settings.loginMaxPerIp]);
    return keys;
  }

  private live(key: string, now: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const fresh = times.filter((t) => t > now - this.settings.loginWindowMs);
    if (fresh.length) this.failures.set(key, fresh);
    else this.failures.delete(key);
    return fresh;
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) this.live(key, now);
    // Still full (a flood of distinct keys): forget the oldest half rather than grow without bound.
    if (this.failures.size >= MAX_KEYS) for (const key of [...this.failures.keys()].slice(0, MAX_KEYS / 2)) this.failures.delete(key);
  }
}

function accountKey(login: string): string {
  return `a:${login.trim().toLowerCase().slice(0, 254)}`;
}

/** IPv4 as is (also when IPv4-mapped); IPv6 reduced to its /64, since one host usually owns a whole /64. */
export function ipBucket(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
