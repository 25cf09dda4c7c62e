import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The admin's templates and assets (`src/admin/ui/`): the nearest ancestor of this file holding
 * `src/admin/ui/views/layout.hbs`. Works from `src/admin` (vitest) and `dist/src/admin` (built);
 * the Docker image copies `src/admin/ui` next to `dist`.
 */
export function findAdminUiDir(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'src', 'admin', 'ui');
    if (existsSync(join(candidate, 'views', 'layout.hbs'))) return candidate;
    if (existsSync(join(dir, 'ui', 'views', 'layout.hbs'))) return join(dir, 'ui');
    const parent = dirname(dir);
    if (parent === dir) throw new Error('admin templates not found (src/admin/ui/views/layout.hbs)');
    dir = parent;
  }
}
