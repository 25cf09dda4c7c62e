import { VitrineError } from '../common/errors.js';

/**
 * The one "not found" every site page throws, whether the thing is missing or hidden from the
 * visitor: same status, same code, same message, so the two cannot be told apart.
 */
export function siteNotFound(): VitrineError {
  return new VitrineError('not_found', 'site.not_found', 'This page does not exist, or it is not visible to you.');
}
