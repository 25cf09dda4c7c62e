import { Controller, Get, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../access/policies.decorator.js';
import type { AccessRequest } from '../access/policies.guard.js';
import { GUEST } from '../access/principal.js';
import { VisibilityService } from '../access/visibility.service.js';
import { SiteAlbumRepository } from './site-album.repository.js';
import { SiteContextService } from './site-context.service.js';
import { SiteErrorFilter } from './site-error.filter.js';
import { SiteHeadersInterceptor } from './site-headers.js';
import { siteNotFound } from './site-not-found.js';
import { SitePhotoRepository } from './site-photo.repository.js';
import { sendVisitorRedirect } from './site-response.js';

/** A Piwigo id segment: `12` or `12-any-slug`; the slug part is ignored. */
const ID_SEGMENT = /^([1-9]\d{0,8})(?:-.*)?$/;

/**
 * Piwigo's path-style query: `index.php?/category/12-paris&x=y` → `['category', '12-paris']`.
 * Everything after the first `&` is dropped; null when the query cannot be decoded.
 */
export function piwigoSegments(url: string): string[] | null {
  const at = url.indexOf('?');
  const raw = at < 0 ? '' : url.slice(at + 1).split('&')[0]!;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return path.split('/').filter((s) => s !== '');
}

function idOf(segment: string | undefined): number | null {
  const match = segment === undefined ? null : ID_SEGMENT.exec(segment);
  return match ? Number(match[1]) : null;
}

/**
 * Permanent redirects (301) from Piwigo's public URLs to Vitrine's, for links people kept after
 * migrating. Targets are always local paths built from parsed integers or stored slugs, never
 * from the request text (no open redirect). Albums and tags are looked up through the visitor's
 * scope first: a hidden one answers the same themed 404 as a missing one. Photos redirect without
 * a lookup; `/photos/:id` makes its own permission check.
 */
@Public()
@Controller()
@UseFilters(SiteErrorFilter)
@UseInterceptors(SiteHeadersInterceptor)
export class PiwigoLegacyController {
  constructor(
    private readonly contexts: SiteContextService,
    private readonly visibility: VisibilityService,
    private readonly dataSource: DataSource,
  ) {}

  /** `index.php`, `index.php?/categories` → `/`; `?/category/12[-slug]` → album; `?/tags/7[-name]` → tag. */
  @Get('index.php')
  async index(@Req() req: Request, @Res() res: Response): Promise<void> {
    const segments = piwigoSegments(req.url);
    if (!segments) throw siteNotFound();
    const paths = this.contexts.paths;
    if (segments.length === 0 || (segments.length === 1 && segments[0] === 'categories')) return res.redirect(301, paths.home());
    const [kind, ref] = segments;
    const id = idOf(ref);
    if (id === null) throw siteNotFound();
    if (kind === 'category') {
      // Further segments (`/start-15`, `/flat`…) are Piwigo page options: land on page 1.
      const album = await new SiteAlbumRepository(this.dataSource.manager).findVisible(id, await this.scope(req));
      if (!album) throw siteNotFound();
      return sendVisitorRedirect(res, paths.album(album.id, album.slug));
    }
    if (kind === 'tags' && segments.length === 2) {
      // Several tags (`tags/7-a/8-b`) mean their intersection, which Vitrine has no page for.
      const slug = await new SitePhotoRepository(this.dataSource.manager).visibleTagSlug(id, await this.scope(req));
      if (!slug) throw siteNotFound();
      return sendVisitorRedirect(res, paths.tag(slug));
    }
    throw siteNotFound();
  }

  /** `picture.php?/34[-slug]` → `/photos/34`; `…/category/12[-slug]` → `/photos/34?album=12`. */
  @Get('picture.php')
  picture(@Req() req: Request, @Res() res: Response): void {
    const segments = piwigoSegments(req.url);
    const id = idOf(segments?.[0]);
    if (!segments || id === null) throw siteNotFound();
    let albumId: number | null = null;
    if (segments[1] === 'category') {
      albumId = idOf(segments[2]);
      if (albumId === null) throw siteNotFound();
    }
    res.redirect(301, this.contexts.paths.photo(id, albumId));
  }

  private scope(req: Request) {
    return this.visibility.scopeFor((req as AccessRequest).principal ?? GUEST, this.dataSource.manager);
  }
}
