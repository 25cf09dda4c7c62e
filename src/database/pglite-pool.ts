import { EventEmitter } from 'node:events';
import type { PGlite, Results } from '@electric-sql/pglite';

/** How long a caller may wait for the single PGlite session before we call it a deadlock. */
const ACQUIRE_TIMEOUT_MS = 20_000;

type Callback = (error: Error | null, result?: unknown) => void;

/**
 * A `pg`-shaped connection handed to TypeORM. PGlite is one database session, so exactly one
 * client may be checked out at a time: otherwise two requests' transactions would interleave
 * on the same session (one request's ROLLBACK undoing the other's writes).
 */
class PGliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  query(sql: string, params?: unknown[] | Callback, callback?: Callback): Promise<unknown> {
    const cb = typeof params === 'function' ? params : callback;
    const values = Array.isArray(params) ? params : undefined;
    const run = values && values.length > 0 ? this.db.query(sql, values).then(toPgResult) : this.exec(sql);
    return run.then(
      (result) => {
        cb?.(null, result);
        return result;
      },
      (error: Error) => {
        if (cb) cb(error);
        else throw error;
        return undefined;
      },
    );
  }

  /** Parameterless SQL may hold several statements (migrations); pg returns the last result. */
  private async exec(sql: string) {
    const results = await this.db.exec(sql);
    const last = results[results.length - 1];
    return last ? toPgResult(last) : { rows: [], rowCount: 0, command: '', fields: [] };
  }
}

function toPgResult(result: Results<unknown> & { command?: string }) {
  const command = (result.command ?? '').toUpperCase();
  const writes = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
  return {
    rows: result.rows,
    fields: result.fields,
    command,
    rowCount: writes ? (result.affectedRows ?? 0) : result.rows.length,
  };
}

/**
 * The minimal `pg.Pool` surface TypeORM's Postgres driver uses, serialising access to one
 * PGlite instance. Waiting longer than 20 seconds means code asked for a second connection while
 * holding one (a query outside the transaction it runs in): that is reported, not hung on.
 */
export class PGlitePool extends EventEmitter {
  private queue: Promise<void> = Promise.resolve();
  private readonly client: PGliteClient;

  constructor(private readonly db: PGlite, private readonly onEnd: () => Promise<void>) {
    super();
    this.client = new PGliteClient(db);
  }

  connect(callback: (error: Error | null, client?: PGliteClient, release?: () => void) => void): void {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => turn);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('Timed out waiting for the embedded database session (is a query running outside its transaction?)')),
        ACQUIRE_TIMEOUT_MS,
      );
    });
    Promise.race([previous, timeout]).then(
      () => {
        clearTimeout(timer);
        let released = false;
        callback(null, this.client, () => {
          if (!released) {
            released = true;
            release();
          }
        });
      },
      (error: Error) => {
        release();
        callback(error);
      },
    );
  }

  end(callback?: (error: Error | null) => void): void {
    this.queue.then(() => this.onEnd()).then(
      () => callback?.(null),
      (error: Error) => callback?.(error),
    );
  }

  /** The underlying instance, for maintenance tasks such as dumps in tests. */
  get instance(): PGlite {
    return this.db;
  }
}

/** Builds the `driver` object TypeORM expects (`{ Pool }`) around a PGlite instance. */
export function pgliteDriver(db: PGlite, onEnd: () => Promise<void>) {
  let pool: PGlitePool | undefined;
  return {
    Pool: class {
      constructor() {
        pool ??= new PGlitePool(db, onEnd);
        return pool;
      }
    },
    defaults: {},
  };
}
