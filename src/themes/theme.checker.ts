import { readFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import Handlebars from 'handlebars';
import { isSafeAssetPath } from './helpers/asset.helper.js';
import { knownHelperNames, SAFE_HTML_HELPERS } from './helpers/helper.registry.js';
import { issue, type ThemeCheckIssue, type ThemeCheckResult } from './theme-check.rules.js';
import { readThemeFiles, isDirectory, type ThemeFiles } from './theme-files.reader.js';
import { LOCALE_FILE, parseLocaleFile } from './theme-locale.js';
import { parseThemeManifest, VITRINE_VERSION, type ThemeManifest } from './theme-manifest.js';
import { satisfies } from './semver-range.js';
import { REQUIRED_TEMPLATES } from './theme.loader.js';
import { scanTemplate, type TemplateScan } from './template-ast.scanner.js';

/** Core image sizes of the media size registry (Piwigo's names). */
export const CORE_IMAGE_SIZES = ['square', 'thumb', '2small', 'xsmall', 'small', 'medium', 'large', 'xlarge', 'xxlarge'] as const;

/** Options of {@link checkTheme}. */
export interface ThemeCheckOptions {
  /** Version checked against `engines.vitrine` (default {@link VITRINE_VERSION}). */
  vitrineVersion?: string;
  /** Helpers provided by active plugins. */
  extraHelpers?: string[];
  /** Of those, the ones returning safe HTML (allowed in `{{{ }}}`). */
  safeHtmlHelpers?: string[];
  /** Partials provided by active plugins. */
  extraPartials?: string[];
  /** Image sizes known besides {@link CORE_IMAGE_SIZES} and the theme's own. */
  extraImageSizes?: string[];
}

/** Values that legitimately hold HTML: the page body in the layout. */
const SAFE_HTML_VALUES = new Set(['body']);

type Parsed = { file: string; scan: TemplateScan };

async function checkManifest(dir: string, version: string, out: ThemeCheckIssue[]): Promise<{ manifest: ThemeManifest | null; declared: Set<string> | null }> {
  const file = 'package.json';
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch {
    out.push(issue('THEME_PKG_MISSING', 'package.json is missing: every theme needs one with name, version and engines.vitrine', { file }));
    return { manifest: null, declared: null };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    out.push(issue('THEME_PKG_INVALID', `package.json is not valid JSON: ${(error as Error).message}`, { file }));
    return { manifest: null, declared: null };
  }
  const custom = (json as { config?: { custom?: unknown } })?.config?.custom;
  const declared = custom && typeof custom === 'object' ? new Set(Object.keys(custom)) : new Set<string>();
  const parsed = parseThemeManifest(json);
  if (!parsed.ok) {
    for (const p of parsed.problems) {
      const code = p.path.startsWith('config.custom') ? 'SETTING_INVALID' : p.path.startsWith('engines') ? 'THEME_ENGINE_RANGE' : 'THEME_PKG_INVALID';
      const hint = code === 'THEME_ENGINE_RANGE' && p.path === 'engines' ? ' (add "engines": { "vitrine": "^0.1.0" })' : '';
      out.push(issue(code, `${p.path}: ${p.message}${hint}`, { file }));
    }
    return { manifest: null, declared };
  }
  if (!satisfies(version, parsed.manifest.engines.vitrine)) {
    out.push(issue('THEME_ENGINE_RANGE', `engines.vitrine "${parsed.manifest.engines.vitrine}" does not include Vitrine ${version}`, { file }));
  }
  return { manifest: parsed.manifest, declared };
}

function parseTemplates(dir: string, files: ThemeFiles, out: ThemeCheckIssue[]): Parsed[] {
  const parsed: Parsed[] = [];
  const all = [...files.templates.values(), ...files.partials.values()];
  for (const { file, source } of all) {
    const rel = relative(dir, file).split(sep).join('/');
    try {
      parsed.push({ file: rel, scan: scanTemplate(Handlebars.parse(source)) });
    } catch (error) {
      const e = error as Error & { lineNumber?: number; column?: number };
      const first = e.message.split('\n').filter(Boolean);
      const detail = first[first.length - 1] ?? e.message;
      out.push(issue('TEMPLATE_SYNTAX', `does not parse: ${detail}`, { file: rel, line: e.lineNumber, column: e.column !== undefined ? e.column + 1 : undefined }));
    }
  }
  return parsed;
}

function checkUsage(parsed: Parsed[], ctx: {
  helpers: Set<string>;
  safeHelpers: Set<string>;
  partials: Set<string>;
  declared: Set<string> | null;
  sizes: Set<string> | null;
  files: ThemeFiles;
}, out: ThemeCheckIssue[]): void {
  const inline = new Set(parsed.flatMap((p) => p.scan.inlinePartials));
  for (const { file, scan } of parsed) {
    for (const c of scan.calls) {
      const where = { file, line: c.line, column: c.column };
      if (!c.simple) out.push(issue('HELPER_UNKNOWN', `"${c.path}" is a value, not a helper: it cannot take arguments`, where));
      else if (!ctx.helpers.has(c.path)) out.push(issue('HELPER_UNKNOWN', `unknown helper "${c.path}"`, where));
      else if (c.path === 'asset' && typeof c.literals[0] === 'string') {
        const path = c.literals[0];
        if (!isSafeAssetPath(path)) out.push(issue('ASSET_MISSING', `asset path "${path}" must be relative to assets/ without ".."`, where));
        else if (!ctx.files.assets.has(path)) out.push(issue('ASSET_MISSING', `assets/${path} does not exist`, where));
      } else if (c.path === 'img_url' && ctx.sizes && typeof c.literals[1] === 'string' && !ctx.sizes.has(c.literals[1])) {
        out.push(issue('IMAGE_SIZE_UNKNOWN', `image size "${c.literals[1]}" is not a core size; declare it in config.image_sizes`, where));
      }
    }
    for (const p of scan.partials) {
      if (!ctx.partials.has(p.name) && !inline.has(p.name) && !p.hasFallback) {
        out.push(issue('PARTIAL_UNKNOWN', `partial "${p.name}" does not exist (expected partials/${p.name}.hbs)`, { file, line: p.line, column: p.column }));
      }
    }
    if (ctx.declared) {
      for (const k of scan.customKeys) {
        if (!ctx.declared.has(k.key)) {
          out.push(issue('SETTING_UNKNOWN', `@custom.${k.key} is not declared in package.json config.custom`, { file, line: k.line, column: k.column }));
        }
      }
    }
    for (const u of scan.unescaped) {
      const safe = u.simple && (SAFE_HTML_VALUES.has(u.path) || ctx.safeHelpers.has(u.path));
      if (!safe) {
        out.push(issue('TRIPLE_STASH_USER_DATA', `{{{${u.path}}}} prints without escaping; use {{${u.path}}} (only body and HTML helpers may use {{{ }}})`, { file, line: u.line, column: u.column }));
      }
    }
  }
}

function checkLocales(files: ThemeFiles, out: ThemeCheckIssue[]): void {
  for (const [name, { text }] of files.locales) {
    const file = `locales/${name}`;
    if (!LOCALE_FILE.test(name)) {
      out.push(issue('LOCALE_INVALID', `"${name}" is not a language tag file name such as en.json or pt-BR.json`, { file }));
      continue;
    }
    const parsed = parseLocaleFile(text);
    if (!parsed.ok) out.push(issue('LOCALE_INVALID', parsed.problem, { file }));
  }
}

/**
 * Validates the theme in `dir` without running any of its code. The theme can be activated when
 * `errors` is empty; `warnings` are worth fixing. Rule codes: {@link THEME_CHECK_RULES}.
 */
export async function checkTheme(dir: string, options: ThemeCheckOptions = {}): Promise<ThemeCheckResult> {
  const root = resolve(dir);
  const out: ThemeCheckIssue[] = [];
  if (!(await isDirectory(root))) {
    out.push(issue('THEME_PKG_MISSING', `${basename(root)} is not a theme folder`));
    return { errors: out, warnings: [] };
  }
  const { manifest, declared } = await checkManifest(root, options.vitrineVersion ?? VITRINE_VERSION, out);
  const files = await readThemeFiles(root);
  for (const name of REQUIRED_TEMPLATES) {
    if (!files.templates.has(name)) out.push(issue('TEMPLATE_REQUIRED_MISSING', `${name}.hbs is required`, { file: `${name}.hbs` }));
  }
  const parsed = parseTemplates(root, files, out);
  checkUsage(
    parsed,
    {
      helpers: knownHelperNames(options.extraHelpers),
      safeHelpers: new Set([...SAFE_HTML_HELPERS, ...(options.safeHtmlHelpers ?? [])]),
      partials: new Set([...files.partials.keys(), ...(options.extraPartials ?? [])]),
      declared,
      sizes: manifest
        ? new Set([...CORE_IMAGE_SIZES, ...Object.keys(manifest.config.image_sizes), ...(options.extraImageSizes ?? [])])
        : null,
      files,
    },
    out,
  );
  checkLocales(files, out);
  const order = (i: ThemeCheckIssue) => `${i.file ?? ''}\u0000${String(i.line ?? 0).padStart(6, '0')}`;
  out.sort((a, b) => order(a).localeCompare(order(b)));
  return { errors: out.filter((i) => i.level === 'error'), warnings: out.filter((i) => i.level === 'warning') };
}
