import { z } from 'zod';
import { intInRange, parseEnv } from '../config/config.js';

/**
 * Tunables of the auth layer. One mutable object per application (injected as
 * {@link AUTH_SETTINGS}); everything that measures time reads {@link AuthSettings.now}, so tests
 * move the clock instead of sleeping.
 */
export interface AuthSettings {
  /** Name of the session cookie. */
  cookieName: string;
  /** A session unused for this long dies (rolling; `SESSION_IDLE_MINUTES`, default 120). */
  idleTtlMs: number;
  /** A session dies this long after login, used or not (`SESSION_MAX_DAYS`, default 30). */
  absoluteTtlMs: number;
  /** Failed logins counted per account and per IP over this window (`LOGIN_WINDOW_MINUTES`, default 15). */
  loginWindowMs: number;
  /** Failures per account name in the window before 429 (`LOGIN_MAX_FAILURES_ACCOUNT`, default 5). */
  loginMaxPerAccount: number;
  /** Failures per client IP (IPv6: per /64) in the window before 429 (`LOGIN_MAX_FAILURES_IP`, default 20). */
  loginMaxPerIp: number;
  /** `api_keys.last_used_at` is written at most this often per key. */
  apiKeyTouchMs: number;
  /** A session's expiry is pushed forward at most this often (saves a write per request). */
  sessionTouchMs: number;
  /** Expired session rows are deleted at most this often (piggybacks on session writes). */
  sessionPruneMs: number;
  /** The clock, in epoch milliseconds. */
  now(): number;
}

/** Nest injection token for the {@link AuthSettings} object. */
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const int = intInRange;

const envSchema = z.object({
  SESSION_IDLE_MINUTES: int(1, 60 * 24 * 30).optional(),
  SESSION_MAX_DAYS: int(1, 365).optional(),
  LOGIN_WINDOW_MINUTES: int(1, 24 * 60).optional(),
  LOGIN_MAX_FAILURES_ACCOUNT: int(1, 1000).optional(),
  LOGIN_MAX_FAILURES_IP: int(1, 100_000).optional(),
});

/**
 * Reads the auth tunables from the environment (empty strings count as unset).
 * @throws ConfigError naming every invalid variable.
 */
export function authSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const e = parseEnv(envSchema, env);
  return {
    cookieName: 'vitrine_sid',
    idleTtlMs: (e.SESSION_IDLE_MINUTES ?? 120) * MINUTE,
    absoluteTtlMs: (e.SESSION_MAX_DAYS ?? 30) * DAY,
    loginWindowMs: (e.LOGIN_WINDOW_MINUTES ?? 15) * MINUTE,
    loginMaxPerAccount: e.LOGIN_MAX_FAILURES_ACCOUNT ?? 5,
    loginMaxPerIp: e.LOGIN_MAX_FAILURES_IP ?? 20,
    apiKeyTouchMs: MINUTE,
    sessionTouchMs: MINUTE,
    sessionPruneMs: 15 * MINUTE,
    now: () => Date.now(),
  };
}
