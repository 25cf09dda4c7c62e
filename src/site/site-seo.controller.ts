import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../access/policies.decorator.js';
import { GUEST } from '../access/principal.js';
import { VisibilityService } from '../access/visibility.service.js';
import { isoDate } from './photo-card.builder.js';
import { SiteAlbumRepository } from './site-album.repository.js';
import { SiteContextService } from './site-context.service.js';
import { SitePhotoRepository } from './site-photo.repository.js';

/** The sitemap protocol allows 50 000 URLs per file. */
const MAX_URLS = 50_000;

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `robots.txt` and `sitemap.xml`. The sitemap lists what an anonymous visitor sees — always the
 * guest scope, whoever asks — so nothing private reaches search engines.
 */
@Public()
@Controller()
export class SiteSeoController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly visibility: VisibilityService,
    private readonly contexts: SiteContextService,
  ) {}

  @Get('robots.txt')
  robots(@Res() res: Response): void {
    const paths = this.contexts.paths;
    const base = paths.base;
    const body = [
      'User-agent: *',
      `Disallow: ${base}/search`,
      `Disallow: ${base}/s/`,
      `Disallow: ${base}/api/`,
      `Disallow: ${base}/admin`,
      `Disallow: ${base}/login`,
      '',
      `Sitemap: ${paths.absolute(`${base}/sitemap.xml`)}`,
      '',
    ].join('\n');
    res.status(200).type('text/plain').setHeader('Cache-Control', 'public, max-age=3600');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(body);
  }

  @Get('sitemap.xml')
  async sitemap(@Res() res: Response): Promise<void> {
    const em = this.dataSource.manager;
    const scope = await this.visibility.scopeFor(GUEST, em);
    const paths = this.contexts.paths;
    const albums = await new SiteAlbumRepository(em).allVisible(scope, MAX_URLS);
    const photoRepo = new SitePhotoRepository(em);
    const photos = await photoRepo.allVisible(scope, Math.max(0, MAX_URLS - albums.length - 1));
    const tags = await photoRepo.visibleTags(scope, Math.max(0, MAX_URLS - albums.length - photos.length - 1));
    const entry = (url: string, lastmod: string | null) =>
      `  <url><loc>${xml(paths.absolute(url))}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`;
    const lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      entry(paths.home(), null),
      ...albums.map((a) => entry(paths.album(a.id, a.slug), isoDate(a.updated_at))),
      ...photos.map((p) => entry(paths.photo(p.id), isoDate(p.updated_at))),
      ...tags.map((t) => entry(paths.tag(t.slug), null)),
      '</urlset>',
      '',
    ];
    res.status(200).type('application/xml').setHeader('Cache-Control', 'public, max-age=3600');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(lines.join('\n'));
  }
}
