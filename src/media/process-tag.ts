import { randomBytes } from 'node:crypto';

/**
 * This process's tag, `<pid>x<8 hex>`, put into the names of temp and intent files it writes
 * (`upload-<tag>-….part`, `<derivative>.<tag>.….tmp`, `intent-<tag>-<sha256>.<ext>`). After a
 * crash, a file whose tag belongs to a process that no longer runs is known to be abandoned and
 * can be removed at once — without a grace period, and without touching the files of another
 * live process sharing the data directory (a CLI import next to the server on Postgres).
 */
export const PROCESS_TAG = `${process.pid}x${randomBytes(4).toString('hex')}`;

/** Matches a tag inside a file name. */
export const TAG_PATTERN = /(\d{1,10})x([0-9a-f]{8})/;

/**
 * Whether the process that wrote a file with this tag is gone: another tag with our own pid (a
 * previous run; containers reuse pid 1), or a pid that no longer exists on this machine.
 */
export function isAbandonedTag(tag: string): boolean {
  if (tag === PROCESS_TAG) return false;
  const match = TAG_PATTERN.exec(tag);
  if (!match) return false;
  const pid = Number(match[1]);
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
