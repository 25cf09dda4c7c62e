import type { DataSource } from 'typeorm';
import type { Principal } from '../../src/access/principal.js';
import type { VisibilityService } from '../../src/access/visibility.service.js';
import { ParamBag } from '../../src/database/param-bag.js';

/** The album and photo ids a principal sees, through the SQL filter (as every listing does). */
export async function visibleSets(ds: DataSource, visibility: VisibilityService, principal: Principal) {
  const scope = await visibility.scopeFor(principal);
  const pa = new ParamBag();
  const albums: { id: number }[] = await ds.query(`SELECT a.id FROM albums a WHERE ${scope.albumWhere('a', pa)} ORDER BY a.id`, pa.values);
  const pp = new ParamBag();
  const photos: { id: number }[] = await ds.query(`SELECT p.id FROM photos p WHERE ${scope.photoWhere('p', pp)} ORDER BY p.id`, pp.values);
  return { albums: albums.map((r) => r.id), photos: photos.map((r) => r.id) };
}
