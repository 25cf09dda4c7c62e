import { VitrineError } from '../common/errors.js';
import { ConfigError } from '../config/config.js';
import { PluginLifecycleError, PluginLoadError } from '../plugins/plugin.errors.js';

/**
 * Prints a start-up or CLI failure as one clear line (several for configuration errors).
 * Stack traces only with LOG_LEVEL=debug or trace, and for errors we did not expect.
 */
export function reportFatal(error: unknown): void {
  const verbose = process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace';
  if (error instanceof ConfigError) {
    process.stderr.write(`vitrine: ${error.message}\n`);
  } else if (error instanceof VitrineError || error instanceof PluginLoadError || error instanceof PluginLifecycleError) {
    process.stderr.write(`vitrine: ${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`vitrine: unexpected error: ${message}\n`);
    if (!verbose) process.stderr.write('(run with LOG_LEVEL=debug for details)\n');
  }
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
}
