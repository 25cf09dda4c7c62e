import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HOOK_CATALOGUE, HOOK_CATALOGUE_DOC, renderHookCatalogue, writeHookCatalogue } from './hook-catalogue.js';
import { HookRegistry } from './hook.registry.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('HOOK_CATALOGUE', () => {
  it('names each hook once, with a summary and a payload', () => {
    const names = HOOK_CATALOGUE.map((h) => h.name);
    expect(new Set(names).size).toBe(names.length);
    for (const hook of HOOK_CATALOGUE) {
      expect(hook.name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(hook.summary.length).toBeGreaterThan(10);
      expect(hook.payload).toMatch(/args: \[/);
    }
  });

  it('is what a new registry knows', () => {
    expect(new HookRegistry().catalogue().map((h) => h.name)).toEqual(HOOK_CATALOGUE.map((h) => h.name));
  });

  it('includes the hooks the design promises', () => {
    const names = HOOK_CATALOGUE.map((h) => h.name);
    for (const name of ['photo.beforeImport', 'photo.metadata', 'photo.imported', 'album.viewModel', 'image.sizes', 'site.head', 'admin.menu']) {
      expect(names).toContain(name);
    }
  });
});

describe('docs/hooks.md', () => {
  // Set VITRINE_WRITE_DOCS=1 to regenerate the file instead of checking it.
  it('is up to date with HOOK_CATALOGUE', () => {
    if (process.env.VITRINE_WRITE_DOCS === '1') writeHookCatalogue(root);
    const file = `${root}${HOOK_CATALOGUE_DOC}`;
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    expect(current, 'docs/hooks.md is stale: run VITRINE_WRITE_DOCS=1 npx vitest run src/hooks/hook-catalogue.spec.ts').toBe(renderHookCatalogue());
  });
});
