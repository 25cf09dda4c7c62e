import { stat } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AlbumService } from '../albums/album.service.js';
import { JOB_QUEUE, type JobQueue } from '../jobs/job-queue.js';
import { isEmbeddedDatabase } from '../database/data-source.js';
import { DERIVATIVE_EXT } from '../media/derivative.generator.js';
import { ImageSizeRegistry } from '../media/image-size.registry.js';
import { isAbandonedTag, TAG_PATTERN } from '../media/process-tag.js';
import { STORAGE_STRATEGY, type StorageStrategy } from '../media/storage.strategy.js';
import { EAGER_DERIVATIVES_JOB, eagerJobKey, queueEagerDerivatives } from './eager-derivatives.writer.js';
import { PhotoService, SWEEP_GRACE_MS } from './photo.service.js';
import { StorageRecoveryService } from './storage-recovery.service.js';

/** What `vitrine doctor` found (and, with `repair`, fixed). */
export interface DoctorReport {
  repaired: boolean;
  /** Leftovers of crashed ingests (always cleaned: they belong to dead processes). */
  recovered: { orphanOriginals: number; abandonedSpools: number; requeuedDerivatives: number };
  /** Originals no photo row references (keys). `recent` ones are younger than the grace period and left alone. */
  orphanOriginals: string[];
  recentUnreferencedOriginals: number;
  /** Derivative directories of photo ids that have no row. */
  orphanDerivativeDirs: number[];
  /** Temp files left in derivative directories by dead processes. */
  strayDerivativeTemps: number;
  /**
   * Photo ids whose original file is missing and that were not flagged yet. The repair FLAGS them
   * (`photos.missing_since`: hidden from visitors, kept with their albums, tags and derivatives,
   * because a missing disk may come back); `purgeMissing` deletes them instead.
   */
  missingOriginals: number[];
  /** Photo ids flagged missing by an earlier repair whose original is still gone (`purgeMissing` deletes them). */
  flaggedMissing: number[];
  /** Photo ids flagged missing whose original is back: the repair clears the flag. */
  restoredOriginals: number[];
  /** Rows deleted by `purgeMissing`. */
  purged: number;
  /** Photo ids missing an eager derivative; `requeued` jobs were added by the repair. */
  missingDerivatives: number[];
  requeued: number;
}

const BATCH = 1000;
const LISTED = 50;

/**
 * Consistency check between the database and the files under DATA_DIR (`vitrine doctor
 * [--repair]`). Without `repair` it only reports (except leftovers of dead processes, which the
 * start-up recovery would remove anyway). The grace period for unreferenced originals is 0 on
 * the embedded database (one process holds the data dir) and 10 minutes on Postgres (a live
 * ingest elsewhere may have placed an original it has not committed yet).
 */
@Injectable()
export class DoctorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly photos: PhotoService,
    private readonly albums: AlbumService,
    private readonly recovery: StorageRecoveryService,
    private readonly sizes: ImageSizeRegistry,
    @Inject(STORAGE_STRATEGY) private readonly storage: StorageStrategy,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
  ) {}

  /**
   * @param options.repair fix what was found (see the README table)
   * @param options.purgeMissing with `repair`: DELETE photos whose original is gone (flagged or not)
   *   instead of flagging them. Never implied: a disk that is only unmounted must not cost the rows.
   */
  async run(options: { repair: boolean; purgeMissing?: boolean }): Promise<DoctorReport> {
    const purge = options.repair && options.purgeMissing === true;
    const recovered = await this.recovery.recover();
    const graceMs = isEmbeddedDatabase(this.dataSource) ? 0 : SWEEP_GRACE_MS;
    const report: DoctorReport = {
      repaired: options.repair,
      recovered: { orphanOriginals: recovered.orphanOriginals.length, abandonedSpools: recovered.abandonedSpools, requeuedDerivatives: recovered.requeuedDerivatives },
      orphanOriginals: [],
      recentUnreferencedOriginals: 0,
      orphanDerivativeDirs: [],
      strayDerivativeTemps: 0,
      missingOriginals: [],
      flaggedMissing: [],
      restoredOriginals: [],
      purged: 0,
      missingDerivatives: [],
      requeued: 0,
    };
    await this.checkOriginals(report, graceMs);
    const derivativeFiles = await this.checkDerivativeDirs(report, options.repair);
    await this.checkRows(report, derivativeFiles);

    if (options.repair) {
      for (const key of report.orphanOriginals) await this.storage.removeOriginal(key);
      for (const id of report.orphanDerivativeDirs) await this.storage.removeDerivatives(id);
      if (purge) {
        const gone = [...report.missingOriginals, ...report.flaggedMissing];
        if (gone.length) report.purged = (await this.photos.delete(gone)).length;
      } else if (report.missingOriginals.length) {
        await this.dataSource.query(`UPDATE photos SET missing_since = now() WHERE id = ANY($1::int[]) AND missing_since IS NULL`, [report.missingOriginals]);
      }
      if (report.restoredOriginals.length) {
        await this.dataSource.query(`UPDATE photos SET missing_since = NULL WHERE id = ANY($1::int[])`, [report.restoredOriginals]);
      }
      for (const photoId of report.missingDerivatives) {
        if ((await queueEagerDerivatives(this.jobs, photoId)) !== null) {
          report.requeued++;
          continue;
        }
        // One is already waiting (e.g. ingest's delayed safety net): make it due now.
        if ((await this.jobs.runNow({ name: EAGER_DERIVATIVES_JOB, singletonKey: eagerJobKey(photoId) })) > 0) report.requeued++;
      }
      await this.albums.refreshAllCounts();
    }
    return report;
  }

  private async checkOriginals(report: DoctorReport, graceMs: number): Promise<void> {
    let batch: string[] = [];
    const flush = async () => {
      const referenced = new Set(
        ((await this.dataSource.query(`SELECT storage_key FROM photos WHERE storage_key = ANY($1::text[])`, [batch])) as { storage_key: string }[]).map((r) => r.storage_key),
      );
      for (const key of batch) {
        if (referenced.has(key)) continue;
        const info = await stat(this.storage.originalPath(key)).catch(() => undefined);
        if (!info) continue;
        if (Date.now() - info.mtimeMs < graceMs) report.recentUnreferencedOriginals++;
        else report.orphanOriginals.push(key);
      }
      batch = [];
    };
    for await (const entry of this.storage.listOriginals()) {
      batch.push(entry.key);
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length) await flush();
  }

  /** Orphan directories and stray temps; returns the file names per photo id for the next check. */
  private async checkDerivativeDirs(report: DoctorReport, repair: boolean): Promise<Map<number, Set<string>>> {
    const files = new Map<number, Set<string>>();
    let batch: Array<{ photoId: number; files: string[] }> = [];
    const flush = async () => {
      const ids = batch.map((b) => b.photoId);
      const existing = new Set(((await this.dataSource.query(`SELECT id FROM photos WHERE id = ANY($1::int[])`, [ids])) as { id: number }[]).map((r) => r.id));
      for (const dir of batch) {
        if (!existing.has(dir.photoId)) {
          report.orphanDerivativeDirs.push(dir.photoId);
          continue;
        }
        for (const name of dir.files.filter((f) => f.endsWith('.tmp'))) {
          const tag = TAG_PATTERN.exec(name);
          if (!tag || !isAbandonedTag(tag[0])) continue;
          report.strayDerivativeTemps++;
          if (repair) await this.storage.removeDerivativeTemp(dir.photoId, name);
        }
        files.set(dir.photoId, new Set(dir.files));
      }
      batch = [];
    };
    for await (const dir of this.storage.listDerivativeDirs()) {
      batch.push(dir);
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length) await flush();
    return files;
  }

  private async checkRows(report: DoctorReport, derivativeFiles: Map<number, Set<string>>): Promise<void> {
    const eager = this.sizes.eager().map((s) => `${s.name}.${DERIVATIVE_EXT.jpeg}`);
    let after = 0;
    for (;;) {
      const rows: { id: number; storage_key: string | null; flagged: boolean }[] = await this.dataSource.query(
        `SELECT id, storage_key, missing_since IS NOT NULL AS flagged FROM photos WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
      if (!rows.length) break;
      after = rows[rows.length - 1]!.id;
      for (const row of rows) {
        const present = row.storage_key !== null && (await this.storage.exists(row.storage_key).catch(() => false));
        if (!present) {
          (row.flagged ? report.flaggedMissing : report.missingOriginals).push(row.id);
          continue;
        }
        if (row.flagged) report.restoredOriginals.push(row.id);
        const have = derivativeFiles.get(row.id);
        if (eager.some((name) => !have?.has(name))) report.missingDerivatives.push(row.id);
      }
    }
  }
}

/** Human-readable lines of a report. */
export function formatDoctorReport(r: DoctorReport): string {
  const list = (ids: Array<number | string>) => (ids.length ? `: ${ids.slice(0, LISTED).join(', ')}${ids.length > LISTED ? `, … (${ids.length - LISTED} more)` : ''}` : '');
  const fix = (text: string) => (r.repaired ? text : 'run with --repair to fix');
  const lines = [
    `Interrupted ingests cleaned: ${r.recovered.orphanOriginals} original(s), ${r.recovered.abandonedSpools} temp file(s).`,
    ...(r.recovered.requeuedDerivatives ? [`Photos of interrupted ingests whose eager derivatives were queued: ${r.recovered.requeuedDerivatives}`] : []),
    `Orphan originals (no photo row): ${r.orphanOriginals.length}${list(r.orphanOriginals)}${r.orphanOriginals.length ? ` — ${fix('removed')}` : ''}`,
    ...(r.recentUnreferencedOriginals ? [`Unreferenced originals younger than 10 minutes (an ingest may be in progress; left alone): ${r.recentUnreferencedOriginals}`] : []),
    `Orphan derivative folders (no photo row): ${r.orphanDerivativeDirs.length}${list(r.orphanDerivativeDirs)}${r.orphanDerivativeDirs.length ? ` — ${fix('removed')}` : ''}`,
    `Leftover derivative temp files: ${r.strayDerivativeTemps}${r.strayDerivativeTemps ? ` — ${fix('removed')}` : ''}`,
    `Photos whose original is missing: ${r.missingOriginals.length}${list(r.missingOriginals)}${
      r.missingOriginals.length ? ` — ${r.purged ? 'rows deleted (--purge-missing)' : r.repaired ? 'flagged missing: hidden from visitors, kept until the file is back or --purge-missing' : 'run with --repair to flag them (hidden from visitors, rows kept), or --repair --purge-missing to delete them'}` : ''
    }`,
    ...(r.flaggedMissing.length
      ? [`Photos flagged missing earlier, original still gone: ${r.flaggedMissing.length}${list(r.flaggedMissing)} — ${r.purged ? 'rows deleted (--purge-missing)' : 'kept; restore the files, or run --repair --purge-missing to delete them'}`]
      : []),
    ...(r.restoredOriginals.length ? [`Photos flagged missing whose original is back: ${r.restoredOriginals.length}${list(r.restoredOriginals)} — ${fix('flag cleared, visible again')}`] : []),
    `Photos missing eager derivatives: ${r.missingDerivatives.length}${list(r.missingDerivatives)}${r.missingDerivatives.length ? ` — ${fix(`${r.requeued} job(s) queued (others were already waiting)`)}` : ''}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Whether the report found anything that needs a repair. */
export function doctorFoundProblems(r: DoctorReport): boolean {
  return (
    r.orphanOriginals.length + r.orphanDerivativeDirs.length + r.strayDerivativeTemps + r.missingOriginals.length + r.flaggedMissing.length + r.restoredOriginals.length + r.missingDerivatives.length > 0
  );
}
