import { z } from 'zod';
import { parseEnv } from '../config/config.js';

/** Settings of the pwg.images.* methods. */
export interface WsImagesSettings {
  /**
   * Piwigo's `$conf['uniqueness_mode']` (`WS_UNIQUENESS_MODE`, default `md5sum`): which list
   * `pwg.images.exist` reads, `md5sum_list` or `filename_list` (matched against original file names).
   */
  uniquenessMode: 'md5sum' | 'filename';
}

const schema = z.object({ WS_UNIQUENESS_MODE: z.enum(['md5sum', 'filename']).optional() });

/** @throws ConfigError for an invalid WS_UNIQUENESS_MODE. */
export function loadWsImagesSettings(env: NodeJS.ProcessEnv = process.env): WsImagesSettings {
  return { uniquenessMode: parseEnv(schema, env).WS_UNIQUENESS_MODE ?? 'md5sum' };
}
