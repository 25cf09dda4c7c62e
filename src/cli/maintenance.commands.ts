import type { Command } from 'commander';
import pino from 'pino';
import { Errors } from '../common/errors.js';
import type { VitrineConfig } from '../config/config.js';
import { createJobQueue } from '../jobs/job-queue.factory.js';
import { JOB_STATES, type JobRecord, type JobRunner, type JobState } from '../jobs/job-queue.js';
import { DoctorService, doctorFoundProblems, formatDoctorReport } from '../photos/doctor.service.js';
import { withAppContext } from './app-context.js';
import { withDatabase } from './cli-context.js';

const STATES = JOB_STATES;

/** `vitrine jobs [list|retry]` and `vitrine doctor [--repair]`. */
export function registerMaintenanceCommands(program: Command): void {
  const jobs = program.command('jobs').description('list background jobs (thumbnails, cleanups) and retry failed ones');
  jobs
    .command('list', { isDefault: true })
    .description('list jobs, newest first')
    .option('--state <state>', `one of ${STATES.join(', ')}`)
    .option('--name <name>', 'only jobs of this name, e.g. derivatives.eager')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (opts: { state?: string; name?: string; limit: string }) => {
      if (opts.state !== undefined && !STATES.includes(opts.state as JobState)) throw Errors.invalid('cli.invalid_state', `--state must be one of ${STATES.join(', ')}.`);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw Errors.invalid('cli.invalid_limit', '--limit must be a whole number from 1 to 1000.');
      await withQueue(async (queue) => {
        const rows = await queue.list({ state: opts.state as JobState | undefined, name: opts.name, limit });
        const counts = Object.entries(await queue.countByState()).filter(([, n]) => n > 0);
        process.stdout.write(`${counts.map(([state, n]) => `${state}: ${n}`).join('  ') || 'no jobs'}\n`);
        for (const row of rows) process.stdout.write(`${formatJob(row)}\n`);
      });
    });
  jobs
    .command('retry')
    .description('re-queue a failed job (or every failed job with --failed) with a fresh attempt budget')
    .argument('[id]')
    .option('--failed', 'every failed job')
    .option('--name <name>', 'with --failed: only jobs of this name')
    .action(async (id: string | undefined, opts: { failed?: boolean; name?: string }) => {
      if ((id === undefined) === !opts.failed) throw Errors.invalid('cli.retry_target', 'Give a job id or --failed (not both).');
      if (id !== undefined && !JOB_ID.test(id)) throw Errors.invalid('cli.invalid_id', `"${id.slice(0, 40)}" is not a job id.`);
      await withQueue(async (queue) => {
        if (opts.failed) {
          const ids = await queue.retryFailed(opts.name);
          process.stdout.write(`Re-queued ${ids.length} failed job(s)${ids.length ? `: ${ids.slice(0, 50).join(', ')}` : ''}.\n`);
          return;
        }
        if (!(await queue.retry(id!))) {
          throw Errors.conflict('job.not_failed', `Job ${id} is not in the failed state (or the same work is already queued).`);
        }
        process.stdout.write(`Job ${id} re-queued; the server runs it shortly.\n`);
      });
    });

  program
    .command('doctor')
    .description('check files against the database: orphan files, missing originals, missing thumbnails (--repair fixes them)')
    .option('--repair', 'remove orphan files, flag photos whose original is gone (hidden, kept), unflag those whose file is back, queue missing thumbnails, recount albums')
    .option('--purge-missing', 'with --repair: DELETE the photos whose original is gone instead of flagging them')
    .action(async (opts: { repair?: boolean; purgeMissing?: boolean }) => {
      if (opts.purgeMissing && !opts.repair) {
        throw Errors.invalid('doctor.purge_needs_repair', '--purge-missing deletes photos and only works together with --repair.');
      }
      const report = await withAppContext((app) => app.get(DoctorService).run({ repair: Boolean(opts.repair), purgeMissing: Boolean(opts.purgeMissing) }));
      process.stdout.write(formatDoctorReport(report));
      if (!opts.repair && doctorFoundProblems(report)) process.exitCode = 1;
    });
}

/** Job ids: digits (table queue) or a UUID (pg-boss); the queue says whether it knows the id. */
const JOB_ID = /^(\d{1,15}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The configured queue (JOB_QUEUE) on the configured database, without a worker; closed afterwards. */
function withQueue(work: (queue: JobRunner, config: VitrineConfig) => Promise<void>): Promise<void> {
  return withDatabase(async (ds, config) => {
    const queue = createJobQueue(ds, pino({ level: 'silent' }), { choice: config.jobQueue });
    try {
      await work(queue, config);
    } finally {
      await queue.close();
    }
  });
}

function formatJob(j: JobRecord): string {
  const when = j.state === 'queued' && j.runAfter.getTime() > Date.now() ? ` next try ${j.runAfter.toISOString()}` : '';
  const error = j.lastError ? `  error: ${j.lastError.replace(/\s+/g, ' ').slice(0, 160)}` : '';
  return `#${j.id}  ${j.name}  ${j.state}  attempt ${j.attempts}/${j.maxAttempts}  ${JSON.stringify(j.payload).slice(0, 80)}  created ${j.createdAt.toISOString()}${when}${error}`;
}
