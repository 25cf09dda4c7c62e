/**
 * Why Vitrine refuses to start (or to enable a plugin). The message lists every problem, each
 * naming the plugin and, where there is one, the file to fix.
 */
export class PluginLoadError extends Error {
  constructor(
    readonly problems: readonly string[],
    /** The plugin at fault, when there is a single one. */
    readonly plugin?: string,
  ) {
    super(
      problems.length === 1
        ? `Plugin error: ${problems[0]}`
        : `${problems.length} plugin errors:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'PluginLoadError';
  }
}

/** Two parties (core or plugins) claim the same name, id or key. */
export class PluginConflictError extends PluginLoadError {
  constructor(
    /** What kind of contribution clashes, e.g. `imageSize`. */
    readonly kind: string,
    /** The clashing key, e.g. `poster`. */
    readonly key: string,
    /** Who had it first, and who asked for it again. */
    readonly owners: readonly [first: string, second: string],
    message: string,
  ) {
    super([message], owners[1]);
    this.name = 'PluginConflictError';
  }
}

/** A plugin's own lifecycle callback (install, upgrade, uninstall, register, bootstrap) failed. */
export class PluginLifecycleError extends Error {
  constructor(
    readonly plugin: string,
    readonly step: 'install' | 'upgrade' | 'uninstall' | 'register' | 'bootstrap' | 'destroy',
    cause: unknown,
  ) {
    super(`Plugin "${plugin}" failed in ${step}(): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PluginLifecycleError';
  }
}
