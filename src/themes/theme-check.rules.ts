/**
 * The rules `theme:check` applies, with their level. Codes are stable: tools and docs refer to
 * them. See themes/README.md for what each one means and how to fix it.
 */
export const THEME_CHECK_RULES = {
  THEME_PKG_MISSING: { level: 'error', summary: 'package.json is missing' },
  THEME_PKG_INVALID: { level: 'error', summary: 'package.json is not valid JSON or breaks the manifest schema' },
  THEME_ENGINE_RANGE: { level: 'error', summary: 'engines.vitrine is missing, invalid, or excludes this Vitrine version' },
  TEMPLATE_REQUIRED_MISSING: { level: 'error', summary: 'a required template (default, index, album, photo) is missing' },
  TEMPLATE_SYNTAX: { level: 'error', summary: 'a template or partial does not parse' },
  HELPER_UNKNOWN: { level: 'error', summary: 'an unknown helper is called, or a value is called like a helper' },
  PARTIAL_UNKNOWN: { level: 'error', summary: 'a partial is used but not defined' },
  SETTING_UNKNOWN: { level: 'error', summary: '@custom.<key> is used but not declared in config.custom' },
  SETTING_INVALID: { level: 'error', summary: 'a config.custom setting is malformed' },
  LOCALE_INVALID: { level: 'error', summary: 'a locales/*.json file is misnamed or malformed' },
  TRIPLE_STASH_USER_DATA: { level: 'warning', summary: '{{{ }}} prints a value without escaping' },
  ASSET_MISSING: { level: 'warning', summary: '{{asset "..."}} names a file that is not in assets/' },
  IMAGE_SIZE_UNKNOWN: { level: 'warning', summary: 'an image size is neither a core size nor declared in config.image_sizes' },
} as const satisfies Record<string, { level: 'error' | 'warning'; summary: string }>;

export type ThemeCheckCode = keyof typeof THEME_CHECK_RULES;

/** One finding. `file` is relative to the theme folder; `line`/`column` are 1-based. */
export interface ThemeCheckIssue {
  code: ThemeCheckCode;
  level: 'error' | 'warning';
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** Result of `checkTheme`: the theme can be activated when `errors` is empty. */
export interface ThemeCheckResult {
  errors: ThemeCheckIssue[];
  warnings: ThemeCheckIssue[];
}

/** Builds an issue with the rule's level. */
export function issue(code: ThemeCheckCode, message: string, where: { file?: string; line?: number; column?: number } = {}): ThemeCheckIssue {
  const out: ThemeCheckIssue = { code, level: THEME_CHECK_RULES[code].level, message };
  if (where.file !== undefined) out.file = where.file;
  if (where.line !== undefined) out.line = where.line;
  if (where.column !== undefined) out.column = where.column;
  return out;
}

/** Human-readable report, one line per issue: `error  album.hbs:12:4  HELPER_UNKNOWN  message`. */
export function formatThemeCheck(result: ThemeCheckResult, theme = 'theme'): string {
  const all = [...result.errors, ...result.warnings];
  if (all.length === 0) return `${theme}: no problems found`;
  const lines = all.map((i) => {
    const where = i.file ? `${i.file}${i.line ? `:${i.line}${i.column ? `:${i.column}` : ''}` : ''}` : '';
    return `${i.level.padEnd(7)} ${where ? `${where}  ` : ''}${i.code}  ${i.message}`;
  });
  const summary = `${theme}: ${result.errors.length} error(s), ${result.warnings.length} warning(s)`;
  return [...lines, summary].join('\n');
}
