import type { ArgumentsHost } from '@nestjs/common';

/**
 * Injection token: renders an error as an HTML page of the site (the active theme's
 * `error-<status>` → `error` → built-in). Provided by the site module; the global
 * {@link ProblemFilter} hands it requests that matched no route outside the machine paths.
 */
export const HTML_ERROR_PAGES = Symbol('HTML_ERROR_PAGES');

export interface HtmlErrorPages {
  catch(error: unknown, host: ArgumentsHost): Promise<void>;
}

/** Paths that always answer machine errors (problem+json), even for unknown routes. */
const MACHINE_PATHS = /^\/(api|media|ws\.php|health|assets|uploads)(\/|$)/;

/** Whether an unknown route at `path` (method `method`) should get the site's HTML 404 page. */
export function wantsHtmlNotFound(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && !MACHINE_PATHS.test(path);
}
