import { mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAbandonedTag, PROCESS_TAG } from '../media/process-tag.js';

/**
 * Ingest intents: before an ingest moves an original into storage it writes
 * `DATA_DIR/tmp/intent-<process tag>-<sha256>.<ext>`, and removes it once the row is committed
 * and the eager sizes are written (or the job that builds them is queued), or once the original
 * is removed again. An intent left by a dead process marks an original that may have no row
 * (crash between the move and the commit) or a committed photo whose eager sizes may be missing
 * (crash after the commit): the storage recovery removes the original if no photo references its
 * hash, and otherwise queues the `derivatives.eager` job. See src/media/process-tag.ts.
 */
const INTENT = /^intent-(\d{1,10}x[0-9a-f]{8})-([0-9a-f]{64})\.([a-z]{3,4})$/;

export interface AbandonedIntent {
  path: string;
  sha256: string;
  ext: string;
}

/**
 * Writes the intent for `sha256.ext`; returns its path. Not fsynced: a process crash (kill -9)
 * keeps it in the page cache, and after a power loss that also lost it, the original it names is
 * an orphan `vitrine doctor` still finds (two fsyncs per upload saved on the hot path).
 */
export async function writeIntent(tempDir: string, sha256: string, ext: string): Promise<string> {
  await mkdir(tempDir, { recursive: true, mode: 0o700 });
  const path = join(tempDir, `intent-${PROCESS_TAG}-${sha256}.${ext}`);
  await writeFile(path, '', { mode: 0o600 });
  return path;
}

export async function clearIntent(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

/** Intents whose writer is gone. */
export async function abandonedIntents(tempDir: string): Promise<AbandonedIntent[]> {
  const names = await readdir(tempDir).catch(() => [] as string[]);
  const out: AbandonedIntent[] = [];
  for (const name of names) {
    const m = INTENT.exec(name);
    if (m && isAbandonedTag(m[1]!)) out.push({ path: join(tempDir, name), sha256: m[2]!, ext: m[3]! });
  }
  return out;
}
