import { VitrineError } from '../common/errors.js';

/**
 * Thrown by a handler of an `inTransaction` hook to veto the operation, e.g. from
 * `photo.beforeImport` to refuse a file. The operation is rolled back and the caller sees
 * `reason` (HTTP 400 problem+json, ws.php error). The registry fills in `plugin` and `hook`.
 *
 * ```ts
 * h.on('photo.beforeImport', (candidate) => {
 *   if (candidate.file.size > 50_000_000) throw new HookRejection('Files over 50 MB are not accepted here.');
 *   return candidate;
 * });
 * ```
 */
export class HookRejection extends VitrineError {
  /** The plugin whose handler rejected (set by the registry). */
  plugin: string | undefined;
  /** The hook that was running (set by the registry). */
  hook: string | undefined;

  /**
   * @param reason a sentence for the person whose action was refused
   * @param code   a stable machine-readable code; default `hook.rejected`
   */
  constructor(
    readonly reason: string,
    code = 'hook.rejected',
  ) {
    super('invalid', code, reason, undefined, {});
    this.name = 'HookRejection';
  }

  /** @internal Called by the registry when the rejection leaves a handler. */
  attribute(plugin: string, hook: string): this {
    this.plugin ??= plugin;
    this.hook ??= hook;
    Object.assign(this.extra ?? {}, { plugin: this.plugin, hook: this.hook });
    return this;
  }
}

/**
 * A handler of an `inTransaction` hook failed. The message names the plugin and the hook;
 * `cause` holds the original error (map a `VitrineError` cause to its own HTTP status).
 */
export class HookHandlerError extends Error {
  constructor(
    readonly plugin: string,
    readonly hook: string,
    cause: unknown,
  ) {
    super(`Plugin "${plugin}" failed in hook "${hook}": ${describeError(cause)}`, { cause });
    this.name = 'HookHandlerError';
  }
}

/** A hook name that nobody declared (a typo, or a plugin that is not enabled). */
export class UnknownHookError extends Error {
  constructor(
    readonly hook: string,
    readonly plugin: string | undefined,
    known: readonly string[],
  ) {
    const who = plugin ? `Plugin "${plugin}" uses` : 'Use of';
    const near = closestName(hook, known);
    super(
      `${who} unknown hook "${hook}".` +
        (near ? ` Did you mean "${near}"?` : '') +
        ' Core hooks are listed in docs/hooks.md; a plugin hook exists only while its plugin is enabled.',
    );
    this.name = 'UnknownHookError';
  }
}

/** The message of anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The known name closest to `name` (edit distance at most 3), for "did you mean" hints. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
