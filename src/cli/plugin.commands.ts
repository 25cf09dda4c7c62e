import type { Command } from 'commander';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config.js';
import { PluginAdminService, type PluginChange } from '../plugin-host/plugin-admin.service.js';
import { PluginHost } from '../plugin-host/plugin-host.js';
import { withAppContext } from './app-context.js';
import { withDatabase } from './cli-context.js';

function quietLogger() {
  return pino({ level: 'warn', base: { app: 'vitrine-cli' } }, pino.destination(2));
}

function report(change: PluginChange, verb: string): void {
  process.stdout.write(`Plugin "${change.name}" ${verb} (now ${change.status}).${change.restartRequired ? ' Restart Vitrine to apply it fully.' : ''}\n`);
}

/**
 * `vitrine plugin list|enable|disable|uninstall`. `enable` and `uninstall` run inside the
 * application context (install and uninstall callbacks get real services); `list` and `disable`
 * only need the database, so a plugin that stops the start-up can still be disabled.
 */
export function registerPluginCommands(program: Command): void {
  const plugin = program.command('plugin').description('list, enable, disable and uninstall plugins');

  plugin
    .command('list')
    .description('plugins found in plugins/ (and PLUGINS_DIR) with their state')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const items = await withDatabase(async (ds) => (await PluginAdminService.standalone(ds, loadConfig(), quietLogger())).list());
      if (opts.json) {
        process.stdout.write(JSON.stringify(items, null, 2) + '\n');
        return;
      }
      if (items.length === 0) process.stdout.write('No plugins found.\n');
      const width = Math.max(4, ...items.map((i) => i.name.length));
      for (const i of items) {
        const installed = i.installedVersion && i.installedVersion !== i.version ? ` (installed ${i.installedVersion})` : '';
        process.stdout.write(`${i.name.padEnd(width)}  ${i.version.padEnd(8)}  ${i.status.padEnd(13)}  ${i.description ?? ''}${installed}\n`);
      }
    });

  plugin
    .command('enable')
    .description('enable a plugin (installs it on its first enable: migrations, then its install step)')
    .argument('<name>')
    .action(async (name: string) => {
      // The currently enabled plugins must load for the app context; a new one is checked first.
      const change = await withAppContext(async (app, _config, _logger) => {
        const admin = await PluginAdminService.forHost(app.get(PluginHost), app.get(DataSource));
        return admin.enable(name);
      });
      report(change, 'enabled');
    });

  plugin
    .command('disable')
    .description('disable a plugin; its tables, metadata and settings are kept')
    .argument('<name>')
    .action(async (name: string) => {
      const change = await withDatabase(async (ds) => (await PluginAdminService.standalone(ds, loadConfig(), quietLogger())).disable(name));
      report(change, 'disabled');
    });

  plugin
    .command('uninstall')
    .description('uninstall a plugin (disabling it first); --drop-data also drops its tables, metadata and settings')
    .argument('<name>')
    .option('--drop-data', "drop the plugin's tables and metadata")
    .action(async (name: string, opts: { dropData?: boolean }) => {
      const dropData = Boolean(opts.dropData);
      const change = await withDatabase(async (ds) => (await PluginAdminService.standalone(ds, loadConfig(), quietLogger())).uninstall(name, { dropData }));
      report(change, dropData ? 'uninstalled and its data dropped' : 'uninstalled (data kept)');
    });
}
