import { Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessScope } from '../../access/access-scope.js';
import type { Principal } from '../../access/principal.js';
import { VisibilityService } from '../../access/visibility.service.js';
import { Errors } from '../../common/errors.js';
import { ImageSizeRegistry } from '../../media/image-size.registry.js';
import { PhotoQueryRepository, type PhotoFilter, type PhotoSort } from '../../photos/photo-query.repository.js';
import { AlbumQueryRepository } from '../albums/album-query.repository.js';
import { decodeCursor, encodeCursor } from './photo-cursor.js';
import type { z } from 'zod';
import { photoDetailView, photoSummaryView, type PhotoDetailView, type photoPageSchema, type PhotoSummaryView } from './photo.view.js';
import { currentHookContext } from '../../hooks/hook-context.js';
import { HookRegistry } from '../../hooks/hook.registry.js';
import type { PhotoView } from '../../hooks/hook-payloads.js';
import { MetadataFieldCatalog } from '../../plugin-host/plugin-metadata.js';

/** One page of a photo list. `nextCursor` is null on the last page. */
export type PhotoPage = z.infer<typeof photoPageSchema>;

/**
 * Photo reads for the API, through the principal's visibility scope: lists (filters, allowlisted
 * sorts, cursor pagination) and details. A hidden photo is reported exactly like a missing one.
 */
@Injectable()
export class PhotoReadService {
  private readonly sizes: ImageSizeRegistry;

  constructor(
    private readonly dataSource: DataSource,
    private readonly visibility: VisibilityService,
    @Optional() sizes?: ImageSizeRegistry,
    @Optional() private readonly fields: MetadataFieldCatalog = new MetadataFieldCatalog(),
    @Optional() private readonly hooks: HookRegistry = new HookRegistry(),
  ) {
    this.sizes = sizes ?? new ImageSizeRegistry();
  }

  async list(principal: Principal, filter: PhotoFilter, sort: PhotoSort, limit: number, cursor?: string): Promise<PhotoPage> {
    return this.listIn(await this.visibility.scopeFor(principal), filter, sort, limit, cursor);
  }

  /** {@link list} for a scope already read (the answer cache reads it with the data version). */
  async listIn(scope: AccessScope, filter: PhotoFilter, sort: PhotoSort, limit: number, cursor?: string): Promise<PhotoPage> {
    const em = this.dataSource.manager;
    if (filter.albumId !== undefined && !(await new AlbumQueryRepository(em).isVisible(scope, filter.albumId))) {
      throw Errors.notFound('album', filter.albumId);
    }
    const repo = new PhotoQueryRepository(em);
    const searchable = this.fields.searchable().filter((f) => f.field.public || scope.seesEverything).map((f) => ({ plugin: f.plugin, key: f.field.key }));
    const rows = await repo.list(scope, { ...filter, searchableFields: searchable }, sort, limit, cursor === undefined ? undefined : decodeCursor(cursor, sort));
    const page = rows.slice(0, limit);
    const tags = await repo.tagsOf(page.map((r) => r.id));
    const last = page[page.length - 1];
    return {
      items: page.map((r) => photoSummaryView(r, tags.get(r.id) ?? [], this.sizes)),
      nextCursor: rows.length > limit && last ? encodeCursor(sort, { key: last.sort_key!, id: last.id }) : null,
    };
  }

  async detail(principal: Principal, id: number): Promise<PhotoDetailView> {
    const scope = await this.visibility.scopeFor(principal);
    const repo = new PhotoQueryRepository(this.dataSource.manager);
    const row = await repo.byId(scope, id);
    if (!row) throw Errors.notFound('photo', id);
    const tags = (await repo.tagsOf([id])).get(id) ?? [];
    const albums = await repo.albumsOf(scope, id);
    const detail = photoDetailView(row, tags, albums, this.sizes, principal);
    // Plugin metadata fields: public ones for everybody, all of them for those who can edit every photo.
    detail.fields = this.fields.flatten(row.plugin_data, !scope.seesEverything);
    if (this.hooks.subscriptions('photo.viewModel').length > 0) {
      // hook: photo.viewModel — the same filter as photo pages; plugins' extensions appear in the API too.
      const view: PhotoView = {
        photo: { id, title: row.title, url: `/photos/${id}`, width: row.width, height: row.height, description: row.description, takenAt: row.taken_at },
        album: albums[0] ? { id: albums[0].id, name: albums[0].name, url: `/albums/${albums[0].id}`, photoCount: 0 } : null,
        previous: null,
        next: null,
        metadata: { ...this.fields.flatten(row.plugin_data, true) },
        extensions: {},
      };
      const ctx = { ...currentHookContext(), page: 'api', url: `/api/v1/photos/${id}`, theme: '' };
      detail.extensions = (await this.hooks.applyFilter('photo.viewModel', view, ctx)).extensions;
    }
    return detail;
  }
}
