import type { INestApplicationContext } from '@nestjs/common';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { folderAlbumName, scanFolder } from '../importers/folder-scan.js';
import { FolderImportService, type ImportOutcome, type ImportSummary, type SkipReason } from '../importers/folder-import.service.js';
import { scanWithPluginImporter, type ImportGroup } from '../importers/plugin-importer.scan.js';
import type { ScanSkip } from '../importers/folder-scan.js';
import { SYSTEM_ACTOR } from '../plugin-host/plugin-actor.js';
import { PluginHost } from '../plugin-host/plugin-host.js';
import { JOB_QUEUE, type JobRunner } from '../jobs/job-queue.js';
import { EAGER_DERIVATIVES_JOB } from '../photos/eager-derivatives.writer.js';
import { withAppContext } from './app-context.js';

interface ImportOptions {
  album?: string;
  albumsFromFolders?: boolean;
  recursive?: boolean;
  concurrency: string;
  derivatives: boolean;
  importer?: string;
}

/** The plugin importer `vitrine import` uses by default when its plugin (folder-importer) is enabled. */
export const DEFAULT_PLUGIN_IMPORTER = 'folder-tree';

const REASON_LABEL: Record<SkipReason, string> = {
  'already-imported': 'already imported',
  'not-an-image': 'not an image',
  'too-large': 'too large',
  refused: 'refused by the content check',
};
const LISTED_PER_REASON = 20;

/** `vitrine import <folder>`. */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import the photos of a folder (safe to interrupt and run again: imported files are skipped by content hash)')
    .argument('<folder>')
    .option('--album <name>', 'top-level album to import into (found or created; default: the folder name)')
    .option('--albums-from-folders', 'each subfolder becomes an album below the target album (implies --recursive)')
    .option('--recursive', 'include subfolders')
    .option('--concurrency <n>', 'photos imported at the same time', '2')
    .option('--no-derivatives', 'do not build thumbnails now (the server builds them later)')
    .option('--importer <id>', `scan with this importer: "folder" (core) or a plugin importer; default "${DEFAULT_PLUGIN_IMPORTER}" when the folder-importer plugin is enabled (whole tree, folders become albums), else "folder"`)
    .action(async (folder: string, opts: ImportOptions) => {
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new Error('--concurrency must be a whole number from 1 to 16');
      // Before opening the database: a typo should not cost a start-up.
      await scanFolder(folder, {});
      const code = await withAppContext((app) => runImport(app, folder, opts, concurrency));
      process.exitCode = code;
    });
}

async function runImport(app: INestApplicationContext, folder: string, opts: ImportOptions, concurrency: number): Promise<number> {
  const importer = app.get(FolderImportService);
  const queue = app.get<JobRunner>(JOB_QUEUE);
  const out = process.stdout;
  const recursive = Boolean(opts.recursive || opts.albumsFromFolders);
  const host = app.get(PluginHost);
  const importerId = opts.importer ?? (host.registry.get('importer', DEFAULT_PLUGIN_IMPORTER) ? DEFAULT_PLUGIN_IMPORTER : 'folder');
  let groups: ImportGroup[];
  let notOffered: ScanSkip[];
  if (importerId === 'folder') {
    const scan = await importer.scan(folder, { recursive, albumsFromFolders: opts.albumsFromFolders });
    groups = [{ albumName: opts.album ?? folderAlbumName(scan.root), items: scan.items }];
    notOffered = scan.skipped;
    out.write(`Found ${scan.items.length} file(s) in ${scan.root}; importing into album "${groups[0]!.albumName}".\n`);
  } else {
    // The scan step through a plugin importer; the import step below is the same.
    const scan = await scanWithPluginImporter(host, importerId, { folder }, { actor: { ...SYSTEM_ACTOR, via: 'cli' }, albumName: opts.album });
    groups = scan.groups;
    notOffered = scan.skipped;
    out.write(`Found ${scan.total} file(s) with importer "${importerId}"; importing into album(s) ${groups.map((g) => `"${g.albumName}"`).join(', ') || '(none)'}.\n`);
  }
  const total = groups.reduce((n, g) => n + g.items.length, 0);

  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    abort.abort();
    process.stderr.write('\nStopping after the photos in progress (Ctrl-C again to quit now; the next run continues where this one stopped)…\n');
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    if (opts.derivatives) {
      // Thumbnails are built while importing, in the same process (both cores busy).
      queue.setConcurrency(Math.max(1, Math.ceil(concurrency / 2)));
      await queue.start();
    }
    const bar = progressBar('importing {bar} {value}/{total} | {speed} photos/s | ETA {eta_formatted} | skipped {skipped} | failed {failed}');
    bar.start(total, 0, { speed: '0.0', skipped: 0, failed: 0 });
    const started = Date.now();
    let done = 0;
    let skipped = 0;
    let failed = 0;
    const summaries: ImportSummary[] = [];
    for (const group of groups) {
      summaries.push(
        await importer.importItems(group.items, { albumName: group.albumName }, {
          concurrency,
          signal: abort.signal,
          onOutcome: (o: ImportOutcome) => {
            done++;
            if (o.status === 'skipped') skipped++;
            if (o.status === 'failed') failed++;
            bar.update(done, { speed: (done / Math.max((Date.now() - started) / 1000, 0.001)).toFixed(1), skipped, failed });
          },
        }),
      );
    }
    const summary = mergeSummaries(summaries);
    bar.stop();
    if (opts.derivatives && !abort.signal.aborted) await waitForDerivatives(queue, abort.signal);
    await queue.stop();
    out.write(report(summary, notOffered));
    if (abort.signal.aborted) {
      out.write(`Interrupted: ${summary.notStarted} file(s) not started. Run the same command again to continue.\n`);
      return 130;
    }
    return summary.failed > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await queue.stop();
  }
}

/** Shows the eager derivative jobs left after the import until none is due or running. */
async function waitForDerivatives(queue: JobRunner, signal: AbortSignal): Promise<void> {
  const first = await queue.countOpen(EAGER_DERIVATIVES_JOB);
  const total = first.due + first.active;
  if (total === 0) return;
  const bar = progressBar('thumbnails {bar} {value}/{total} | ETA {eta_formatted}');
  bar.start(total, 0);
  for (;;) {
    const open = await queue.countOpen(EAGER_DERIVATIVES_JOB);
    bar.update(Math.max(0, total - open.due - open.active));
    if ((open.due === 0 && open.active === 0 && queue.inFlightCount === 0) || signal.aborted) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  bar.stop();
}

/** One summary for an import that ran as several groups (one per top-level album). */
export function mergeSummaries(summaries: ImportSummary[]): ImportSummary {
  const merged: ImportSummary = { total: 0, imported: 0, skipped: { 'already-imported': 0, 'not-an-image': 0, 'too-large': 0, refused: 0 }, failed: 0, notStarted: 0, problems: [], seconds: 0 };
  for (const s of summaries) {
    merged.total += s.total;
    merged.imported += s.imported;
    merged.failed += s.failed;
    merged.notStarted += s.notStarted;
    merged.seconds += s.seconds;
    merged.problems.push(...s.problems);
    for (const reason of Object.keys(s.skipped) as SkipReason[]) merged.skipped[reason] += s.skipped[reason];
  }
  return merged;
}

function progressBar(format: string): cliProgress.SingleBar {
  return new cliProgress.SingleBar({ format, hideCursor: true, etaBuffer: 50, fps: 5, stream: process.stderr }, cliProgress.Presets.shades_classic);
}

/** The end-of-run summary: counts, then what was skipped and why. */
export function report(summary: ImportSummary, notOffered: Array<{ displayPath: string; reason: string }>): string {
  const lines: string[] = [];
  const skippedTotal = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
  const rate = summary.seconds > 0 ? (summary.imported / summary.seconds).toFixed(1) : '0';
  lines.push(`Imported ${summary.imported}, skipped ${skippedTotal}, failed ${summary.failed} of ${summary.total} file(s) in ${summary.seconds.toFixed(1)} s (${rate} photos/s).`);
  for (const reason of Object.keys(REASON_LABEL) as SkipReason[]) {
    const items = summary.problems.filter((p) => p.status === 'skipped' && p.reason === reason);
    if (!items.length) continue;
    lines.push(`Skipped, ${REASON_LABEL[reason]} (${items.length}):`);
    for (const p of items.slice(0, LISTED_PER_REASON)) lines.push(`  ${safe(p.item.displayPath)} — ${safe(p.detail)}`);
    if (items.length > LISTED_PER_REASON) lines.push(`  … and ${items.length - LISTED_PER_REASON} more`);
  }
  const failures = summary.problems.filter((p) => p.status === 'failed');
  if (failures.length) {
    lines.push(`Failed (${failures.length}):`);
    for (const p of failures.slice(0, LISTED_PER_REASON)) lines.push(`  ${safe(p.item.displayPath)} — ${safe(p.detail)}`);
  }
  if (notOffered.length) {
    const byReason = new Map<string, number>();
    for (const s of notOffered) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    lines.push(`Not looked at: ${[...byReason].map(([r, n]) => `${n} ${r}`).join(', ')}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** File names may hold control or bidi characters: show them escaped. */
function safe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).slice(0, 300);
}
