import type { DataSource } from 'typeorm';

/**
 * Reads a value with "read-after-arrival" semantics while sharing queries under load: a caller
 * gets the result of a read that STARTED after it called. Callers arriving while a read is in
 * flight share the next read, which starts when that one ends. So every request sees every change
 * committed before it arrived, and N concurrent requests cost about one query, not N.
 */
export class FreshReader<T> {
  private inFlight: Promise<T> | undefined;
  private queued: Promise<T> | undefined;

  constructor(private readonly fetch: () => Promise<T>) {}

  read(): Promise<T> {
    if (!this.inFlight) return this.launch();
    this.queued ??= this.inFlight.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  private startQueued(): Promise<T> {
    this.queued = undefined;
    return this.launch();
  }

  private launch(): Promise<T> {
    const run = this.fetch().finally(() => {
      if (this.inFlight === run) this.inFlight = undefined;
    });
    this.inFlight = run;
    return run;
  }
}

/**
 * The **data version**: access epoch (bumped in the transaction of every permission change) +
 * the `ws_content_version` sequence (advanced by triggers on photos, album_photos, albums, tags,
 * photo_tags). Answer caches (ws.php, site pages) key on it, so a change is seen by the next
 * request. Concurrent callers share reads (see {@link FreshReader}).
 */
export function dataVersionReader(dataSource: Pick<DataSource, 'query'>): FreshReader<string> {
  return new FreshReader(async () => {
    const [row] = (await dataSource.query(`SELECT ${DATA_VERSION_COLUMNS}`)) as DataVersionColumns[];
    return dataVersionOf(row);
  });
}

const shared = new WeakMap<object, FreshReader<string>>();

/**
 * The data-version reader of this DataSource, one per DataSource for the whole process, so that
 * every answer cache and the visibility scope share their reads (one small query per burst of
 * concurrent requests, whichever path they take).
 */
export function sharedDataVersion(dataSource: Pick<DataSource, 'query'>): FreshReader<string> {
  let reader = shared.get(dataSource);
  if (!reader) {
    reader = dataVersionReader(dataSource);
    shared.set(dataSource, reader);
  }
  return reader;
}

/** The access-epoch part of a data version string (`access:content`). */
export function accessEpochOf(version: string): number {
  return Number(version.slice(0, version.indexOf(':')));
}

/**
 * The data version as a SQL select list (columns `access`, `content`), for reads that need it in
 * the same round trip as other per-request facts (the media fast path reads it with the session).
 * Always turn the row into the version with {@link dataVersionOf}.
 */
export const DATA_VERSION_COLUMNS = `(SELECT epoch FROM access_epoch) AS access, (SELECT last_value FROM ws_content_version) AS content`;

/** The columns {@link DATA_VERSION_COLUMNS} selects. */
export interface DataVersionColumns {
  access: string | number | null;
  content: string | number | null;
}

/** The data version string of a row selected with {@link DATA_VERSION_COLUMNS}. */
export function dataVersionOf(row: DataVersionColumns | undefined): string {
  return `${row?.access ?? 0}:${row?.content ?? 0}`;
}

/**
 * Whether no write transaction is open right now. The content part of the data version is a
 * sequence advanced by triggers at statement time, i.e. BEFORE the writing transaction commits:
 * something computed while such a transaction is open holds the old rows under the new version
 * and, if cached under it, outlives the commit. Call it after reading the version and before
 * computing: when it answers true, every change counted in that version has ended (committed or
 * rolled back) and is visible to the computation, so the result may be cached under the version.
 * On Postgres it looks for another backend holding a transaction id (every transaction that wrote
 * holds one until it ends; `pg_current_snapshot()` would not do: a running transaction newer than
 * the last completed one is not listed in it). On PGlite (one session) it is always true.
 */
export async function noWriteInFlight(dataSource: Pick<DataSource, 'query'>): Promise<boolean> {
  const rows: { quiet: boolean }[] = await dataSource.query(
    `SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'transactionid' AND pid <> pg_backend_pid()) AS quiet`,
  );
  return rows[0]?.quiet === true;
}
