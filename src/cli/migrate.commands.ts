import type { Command } from 'commander';
import { Errors } from '../common/errors.js';
import { Migrator } from '../database/migrator.js';
import { withDatabase } from './cli-context.js';

/** `migrate up|down|status`. */
export function registerMigrateCommands(program: Command): void {
  const migrate = program.command('migrate').description('apply, revert or list database migrations');

  migrate
    .command('up', { isDefault: true })
    .description('apply every pending migration')
    .action(async () => {
      const applied = await withDatabase((ds) => new Migrator(ds).up(), { migrate: false });
      process.stdout.write(applied.length ? `Applied ${applied.length}: ${applied.join(', ')}\n` : 'Nothing to apply: the schema is current.\n');
    });

  migrate
    .command('down')
    .description('revert the most recent migrations')
    .option('--steps <n>', 'how many to revert', '1')
    .action(async (opts: { steps: string }) => {
      const steps = /^\d+$/.test(opts.steps.trim()) ? Number(opts.steps) : Number.NaN;
      if (!Number.isSafeInteger(steps) || steps < 1) {
        throw Errors.invalid('cli.invalid_steps', `--steps must be a positive whole number (got "${opts.steps}").`);
      }
      const reverted = await withDatabase((ds) => new Migrator(ds).down(steps), { migrate: false });
      process.stdout.write(`Reverted ${reverted} migration(s).\n`);
    });

  migrate
    .command('status')
    .description('list migrations and whether each is applied')
    .action(async () => {
      const status = await withDatabase((ds) => new Migrator(ds).status(), { migrate: false });
      for (const m of status) process.stdout.write(`${m.applied ? 'applied ' : 'pending '} ${m.name}\n`);
    });
}
