import { Injectable, Optional } from '@nestjs/common';
import { currentHookContext } from '../../hooks/hook-context.js';
import { HookRegistry } from '../../hooks/hook.registry.js';
import { DataSource } from 'typeorm';
import type { AccessScope } from '../../access/access-scope.js';
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
    @Optional() private readonly hooks: HookRegistry = new HookRegistry(),
  ) {}

  /** Visible children of `parentId` (null: top level); a hidden or missing parent is a 404. */
  async children(principal: Principal, parentId: number | null): Promise<AlbumView[]> {
    return this.childrenIn(await this.visibility.scopeFor(principal), parentId);
  }

  /** {@link children} for a scope already read (the answer cache reads it with the data version). */
  async childrenIn(scope: AccessScope, parentId: number | null): Promise<AlbumView[]> {
    const repo = new AlbumQueryRepository(this.dataSource.manager);
    if (parentId !== null && !(await repo.isVisible(scope, parentId))) throw Errors.notFound('album', parentId);
    return (await repo.children(scope, parentId)).map((row) => albumView(row, scope));
  }

  async detail(principal: Principal, id: number): Promise<AlbumDetailView> {
    const scope = await this.visibility.scopeFor(principal);
    const repo = new AlbumQueryRepository(this.dataSource.manager);
    const row = await repo.byId(scope, id);
    if (!row) throw Errors.notFound('album', id);
    const detail: AlbumDetailView = { ...albumView(row, scope), breadcrumbs: await repo.breadcrumbs(scope, id) };
    if (this.hooks.subscriptions('album.viewModel').length > 0) {
      // hook: album.viewModel — the same filter as album pages; plugins' extensions appear in the API too.
      const children = (await repo.children(scope, id)).map((c) => ({ id: c.id, name: c.name, url: `/albums/${c.id}-${c.slug}`, photoCount: c.photo_count }));
      const view = {
        album: { id, name: detail.name, url: `/albums/${id}-${detail.slug}`, photoCount: detail.counts.photos, description: detail.description },
        ancestors: detail.breadcrumbs.map((b) => ({ id: b.id, name: b.name, url: `/albums/${b.id}-${b.slug}`, photoCount: 0 })),
        children,
        photos: [],
        extensions: {},
      };
      const ctx = { ...currentHookContext(), page: 'api', url: `/api/v1/albums/${id}`, theme: '' };
      detail.extensions = (await this.hooks.applyFilter('album.viewModel', view, ctx)).extensions;
    }
    return detail;
  }
}
