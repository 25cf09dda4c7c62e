import { setFlagsFromString } from 'node:v8';

/** Environment variable that sets {@link DEFAULT_HEAP_GROWING_PERCENT}; `0` leaves V8's own heuristic. */
export const HEAP_GROWING_ENV = 'VITRINE_HEAP_GROWING_PERCENT';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it
 * starts the next one: 100 = up to twice the live heap (about 50 MB live after start-up, so up
 * to ~100 MB before a mark-compact).
 *
 * Why not V8's own choice: it picks the factor from how fast the collector is against how fast
 * the program allocates, between 1.1 and 4. Under a sustained import the server allocates
 * little on the JavaScript heap (the pixels and upload bytes live outside it), so after a few
 * hundred uploads V8 settles near the low end, and from then on it starts incremental marking
 * as soon as each mark-compact ends: with 2 upload clients on Postgres, 23 mark-compacts per 48
 * uploads, each 30–60 ms of marking, and throughput fell from 11 to 8.5 photos/s. With 100 the
 * same run holds 10 mark-compacts over 288 uploads and a steady rate (src/media/README.md
 * "Garbage collection under load"). 50 did not help; peak RSS rose by less than 20 MB.
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 100;

/**
 * Sets V8's heap growing factor for this process from `VITRINE_HEAP_GROWING_PERCENT` (default
 * {@link DEFAULT_HEAP_GROWING_PERCENT}; `0` keeps V8's heuristic). V8 reads the flag each time
 * it sizes the heap after a full collection, so setting it at start-up takes effect from the
 * first one. A `--heap-growing-percent` given to node itself wins.
 * @returns the percent now in force (0 when V8 chooses).
 * @throws Error naming the variable when its value is not a whole number from 0 to 1000.
 */
export function tuneHeapGrowth(
  env: Record<string, string | undefined> = process.env,
  execArgv: readonly string[] = process.execArgv,
  setFlags: (flags: string) => void = setFlagsFromString,
): number {
  const given = execArgv.find((arg) => /^--heap[-_]growing[-_]percent=/.test(arg));
  if (given) return Number(given.split('=')[1]);
  const raw = env[HEAP_GROWING_ENV]?.trim();
  const percent = raw === undefined || raw === '' ? DEFAULT_HEAP_GROWING_PERCENT : Number(raw);
  if (!Number.isInteger(percent) || percent < 0 || percent > 1000) {
    throw new Error(`${HEAP_GROWING_ENV} must be a whole number from 0 to 1000 (0 = V8's own heuristic); got "${raw}".`);
  }
  if (percent > 0) setFlags(`--heap-growing-percent=${percent}`);
  return percent;
}
