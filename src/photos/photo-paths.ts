import { join } from 'node:path';
import type { VitrineConfig } from '../config/config.js';

/** Temp directory for uploads in flight: `DATA_DIR/tmp` (same file system as the originals, so moves are renames). */
export function tempDirOf(config: Pick<VitrineConfig, 'dataDir'>): string {
  return join(config.dataDir, 'tmp');
}
