import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { VitrineError } from '../common/errors.js';
import { formatThemeCheck, type ThemeCheckResult } from '../themes/theme-check.rules.js';
import { checkTheme } from '../themes/theme.checker.js';

/** What `theme:check` prints and the exit code it ends with. */
export interface ThemeCheckRun {
  code: 0 | 1;
  output: string;
  result: ThemeCheckResult;
}

/**
 * Runs `theme:check` on a theme folder: errors make the exit code 1; warnings alone keep it 0
 * unless `strict` is set. `json` prints `{ theme, ok, errors, warnings }` instead of the lines.
 * @throws VitrineError `theme.dir_not_found` when the folder does not exist.
 */
export async function runThemeCheck(dir: string, options: { json?: boolean; strict?: boolean } = {}): Promise<ThemeCheckRun> {
  const full = resolve(dir);
  if (!existsSync(full) || !statSync(full).isDirectory()) {
    throw new VitrineError('not_found', 'theme.dir_not_found', `${dir} is not a folder (give the path of a theme folder, e.g. themes/default).`);
  }
  const result = await checkTheme(full);
  const failed = result.errors.length > 0 || (options.strict === true && result.warnings.length > 0);
  const name = basename(full);
  const output = options.json
    ? JSON.stringify({ theme: name, ok: !failed, errors: result.errors, warnings: result.warnings }, null, 2)
    : formatThemeCheck(result, name);
  return { code: failed ? 1 : 0, output: `${output}\n`, result };
}

/** `theme:check <dir> [--json] [--strict]`. */
export function registerThemeCommands(program: Command): void {
  program
    .command('theme:check')
    .description('validate a theme folder (rule codes, errors and warnings); exits 1 when it has errors')
    .argument('<dir>', 'the theme folder, e.g. themes/default')
    .option('--json', 'print the findings as JSON')
    .option('--strict', 'also fail on warnings')
    .action(async (dir: string, opts: { json?: boolean; strict?: boolean }) => {
      const run = await runThemeCheck(dir, opts);
      process.stdout.write(run.output);
      process.exitCode = run.code;
    });
}
