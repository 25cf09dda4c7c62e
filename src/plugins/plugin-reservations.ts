import { HOOK_CATALOGUE } from '../hooks/hook-catalogue.js';
import type { Reservations } from './plugin.registry.js';

/**
 * Names core keeps for itself, so that a plugin claiming one fails at start-up with "already
 * belongs to core" instead of silently shadowing core. A key ending in `*` reserves a prefix.
 *
 * These are the defaults known when the plugin system was written; the integration layer should
 * extend them from the real registries (media size registry, site router, ws.php method table)
 * with {@link mergeReservations}.
 */
export const CORE_RESERVATIONS: Reservations = {
  hook: HOOK_CATALOGUE.map((h) => h.name),
  importer: ['upload', 'folder', 'ws'],
  imageSize: ['square', 'thumb', '2small', 'xsmall', 'small', 'medium', 'large', 'xlarge', 'xxlarge', '3xlarge', '4xlarge', 'original'],
  metadataField: [
    'id', 'title', 'description', 'originalName', 'mimeType', 'fileSize', 'width', 'height', 'orientation',
    'takenAt', 'author', 'copyright', 'rating', 'latitude', 'longitude', 'cameraMake', 'cameraModel', 'lens',
    'keywords', 'tags', 'albums', 'privacyLevel', 'createdAt', 'updatedAt', 'sha256', 'md5',
  ],
  route: [
    '/', '/album/*', '/albums/*', '/photo/*', '/photos/*', '/tag/*', '/tags/*', '/search', '/share/*', '/s/*',
    '/login', '/logout', '/register', '/password/*', '/profile', '/feed', '/sitemap.xml', '/robots.txt',
    '/api/*', '/admin/*', '/ws.php', '/i/*', '/media/*', '/assets/*', '/theme/*', '/upload/*', '/health',
  ],
  wsMethod: ['pwg.*', 'reflection.*'],
};

/** Adds keys to a set of reservations (e.g. core's defaults plus the sizes the media layer knows). */
export function mergeReservations(...sets: Reservations[]): Reservations {
  const merged: Record<string, string[]> = {};
  for (const set of sets) {
    for (const [kind, keys] of Object.entries(set)) merged[kind] = [...new Set([...(merged[kind] ?? []), ...(keys ?? [])])];
  }
  return merged as Reservations;
}
