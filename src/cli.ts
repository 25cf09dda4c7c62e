import 'reflect-metadata';
import { Command } from 'commander';
import { reportFatal } from './bootstrap/fatal.js';
import { registerImportCommand } from './cli/import.command.js';
import { registerMaintenanceCommands } from './cli/maintenance.commands.js';
import { registerMigrateCommands } from './cli/migrate.commands.js';
import { registerPluginCommands } from './cli/plugin.commands.js';
import { registerThemeCommands } from './cli/theme.commands.js';
import { registerUserCommands } from './cli/user.commands.js';
import { describeConfig, loadConfig } from './config/config.js';

/** `vitrine <command>`: administration from the shell. Uses the same environment as the server. */
const program = new Command('vitrine').description('Vitrine gallery administration').showHelpAfterError();

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
    const shown = describeConfig(loadConfig());
    const width = Math.max(...Object.keys(shown).map((k) => k.length));
    for (const [key, value] of Object.entries(shown)) process.stdout.write(`${key.padEnd(width)}  ${value}\n`);
  });

program.parseAsync(process.argv).catch((error) => {
  reportFatal(error);
  process.exit(1);
});
