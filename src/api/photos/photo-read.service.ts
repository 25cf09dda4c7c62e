import { Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../../access/principal.js';
import { VisibilityService } from '../../access/visibility.service.js';
import { Errors } from '../../common/errors.js';
import { ImageSizeRegistry } from '../../media/image-size.registry.js';
import { PhotoQueryRepository, type PhotoFilter, type PhotoSort } from '../../photos/photo-query.repository.js';
import { AlbumQueryRepository } from '../albums/album-query.repository.js';
import { decodeCursor, encodeCursor } from './photo-cursor.js';
import { photoDetailView, photoSummaryView, type PhotoDetailView, type PhotoSummaryView } from './photo.view.js';

/** One page of a photo list. `nextCursor` is null on the last page. */
export interface PhotoPage {
  items: PhotoSummaryView[];
  nextCursor: string | null;
}

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
  ) {
    this.sizes = sizes ?? new ImageSizeRegistry();
  }

  async list(principal: Principal, filter: PhotoFilter, sort: PhotoSort, limit: number, cursor?: string): Promise<PhotoPage> {
    const scope = await this.visibility.scopeFor(principal);
    const em = this.dataSource.manager;
    if (filter.albumId !== undefined && !(await new AlbumQueryRepository(em).byId(scope, filter.albumId))) {
      throw Errors.notFound('album', filter.albumId);
    }
    const repo = new PhotoQueryRepository(em);
    const rows = await repo.list(scope, filter, sort, limit, cursor === undefined ? undefined : decodeCursor(cursor, sort));
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
    return photoDetailView(row, tags, await repo.albumsOf(scope, id), this.sizes, principal);
  }
}
