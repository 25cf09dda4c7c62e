import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../../access/principal.js';
import { VisibilityService } from '../../access/visibility.service.js';
import { Errors } from '../../common/errors.js';
import { AlbumQueryRepository } from './album-query.repository.js';
import { albumView, type AlbumDetailView, type AlbumView } from './album.view.js';

/**
 * Album reads for the API, always through the principal's visibility scope. A forbidden album is
 * reported exactly like a missing one (`album.not_found`, 404).
 */
@Injectable()
export class AlbumReadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly visibility: VisibilityService,
  ) {}

  /** Visible children of `parentId` (null: top level); a hidden or missing parent is a 404. */
  async children(principal: Principal, parentId: number | null): Promise<AlbumView[]> {
    const scope = await this.visibility.scopeFor(principal);
    const repo = new AlbumQueryRepository(this.dataSource.manager);
    if (parentId !== null && !(await repo.byId(scope, parentId))) throw Errors.notFound('album', parentId);
    return (await repo.children(scope, parentId)).map((row) => albumView(row, scope));
  }

  async detail(principal: Principal, id: number): Promise<AlbumDetailView> {
    const scope = await this.visibility.scopeFor(principal);
    const repo = new AlbumQueryRepository(this.dataSource.manager);
    const row = await repo.byId(scope, id);
    if (!row) throw Errors.notFound('album', id);
    return { ...albumView(row, scope), breadcrumbs: await repo.breadcrumbs(scope, id) };
  }
}
