import { createRequire } from 'node:module';

/**
 * Semver checks for plugin compatibility and dependency ranges. Uses npm's `semver` package
 * (present in node_modules; not yet a direct dependency in package.json, and it ships no types,
 * hence the small typed wrapper).
 */
interface SemverApi {
  valid(version: string): string | null;
  validRange(range: string): string | null;
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean;
}

const semver = createRequire(import.meta.url)('semver') as SemverApi;

/** Whether `version` is a full semver version such as `1.2.3` or `1.0.0-beta.1`. */
export function isValidVersion(version: string): boolean {
  return semver.valid(version) !== null;
}

/** Whether `range` is a semver range such as `^0.1`, `~1.2.3`, `>=1 <3` or `*`. */
export function isValidRange(range: string): boolean {
  return semver.validRange(range) !== null;
}

/** Whether `version` satisfies `range`; pre-releases count (a 1.0.0-rc core satisfies `^1`). */
export function satisfiesRange(version: string, range: string): boolean {
  return semver.satisfies(version, range, { includePrerelease: true });
}
