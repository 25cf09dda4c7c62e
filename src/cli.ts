import 'reflect-metadata';
import { Command } from 'commander';
import { reportFatal } from './bootstrap/fatal.js';
import { tuneHeapGrowth } from './bootstrap/heap-growth.js';
import { registerImportCommand } from './cli/import.command.js';
import { registerMaintenanceCommands } from './cli/maintenance.commands.js';
import { registerMigrateCommands } from './cli/migrate.commands.js';
import { registerPluginCommands } from './cli/plugin.commands.js';
import { registerThemeCommands } from './cli/theme.commands.js';
import { registerUserCommands } from './cli/user.commands.js';
import { describeConfig, loadConfig } from './config/config.js';

/** `vitrine <command>`: administration from the shell. Uses the same environment as the server. */
const program = new Command('vitrine').description('Vitrine gallery administration').showHelpAfterError();

/** The heap growing percent in force (set before any command runs, below). */
let heapGrowingPercent = 0;

registerMigrateCommands(program);
registerUserCommands(program);
registerImportCommand(program);
registerMaintenanceCommands(program);
registerThemeCommands(program);
registerPluginCommands(program);

program
  .command('config')
  .description('print the effective configuration (secrets masked)')
  .action(() => {
    const shown = {
      ...describeConfig(loadConfig()),
      // Process settings read at start-up (README "Configuration"): what this process runs with.
      mallocArenaMax: process.env.MALLOC_ARENA_MAX || '(unset: glibc default)',
      heapGrowingPercent: heapGrowingPercent ? String(heapGrowingPercent) : "0 (V8's own heuristic)",
    };
    const width = Math.max(...Object.keys(shown).map((k) => k.length));
    for (const [key, value] of Object.entries(shown)) process.stdout.write(`${key.padEnd(width)}  ${value}\n`);
  });

// `vitrine import` ingests like the server does (src/bootstrap/heap-growth.ts).
Promise.resolve()
  .then(() => (heapGrowingPercent = tuneHeapGrowth()))
  .then(() => program.parseAsync(process.argv))
  .catch((error) => {
    reportFatal(error);
    process.exit(1);
  });
