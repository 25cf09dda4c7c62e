import { formatAperture, formatCamera, formatExposure, formatFocalLength, photoAlt } from '../themes/photo-metadata.format.js';
import type { PhotoLinkView, PhotoMetadataView, PhotoPageView, PlaceView } from '../themes/theme-view.types.js';
import { breadcrumbs, markCurrentNav } from './album-card.builder.js';
import type { SiteContext } from './site-context.service.js';
import { siteNotFound } from './site-not-found.js';
import type { NeighbourRow, PhotoPageRow } from './site-photo.repository.js';

/** Query of a photo page: the photo and, optionally, the album being browsed (`?album=`). */
export interface PhotoPageQuery {
  id: number;
  albumId: number | null;
}

/**
 * Builds the photo page. The photo must be visible to the principal (else the same not-found as
 * a missing one). The album context is `?album=` when that album is visible and holds the photo,
 * else the first visible album holding it (storage album first); prev/next and the position come
 * from that album's visible photos in album order.
 */
export async function buildPhotoPage(ctx: SiteContext, q: PhotoPageQuery): Promise<PhotoPageView> {
  const photo = await ctx.photos.findVisible(q.id, ctx.scope);
  if (!photo) throw siteNotFound();
  const holders = (await ctx.photos.albumIdsOf(photo.id)).filter((id) => ctx.scope.canSeeAlbum(id));
  const albumId = q.albumId !== null && holders.includes(q.albumId) ? q.albumId : (holders[0] ?? null);
  const album = albumId === null ? null : await ctx.albums.findVisible(albumId, ctx.scope);
  const [ancestors, neighbours, tags] = await Promise.all([
    album ? ctx.albums.visibleAncestors(album.id, ctx.scope) : Promise.resolve([]),
    album ? ctx.photos.neighbours(album.id, photo.id, ctx.scope) : Promise.resolve([] as NeighbourRow[]),
    ctx.photos.tagsOf(photo.id),
  ]);
  const me = neighbours.find((n) => n.id === photo.id);
  const link = (n: NeighbourRow | undefined): PhotoLinkView | null =>
    n ? { url: ctx.paths.photo(n.id, album?.id), alt: photoAlt(n), thumbnail: ctx.cards.sizesOf(n).thumb ?? null } : null;
  const albumCrumb = album ? { name: album.name, url: ctx.paths.album(album.id, album.slug) } : null;
  const canDownload = ctx.ability.can('download', 'Photo');
  markCurrentNav(ctx, ancestors[0]?.id ?? album?.id ?? null);
  return {
    context: 'photo',
    site: ctx.site,
    meta: { title: null, description: null, canonicalUrl: ctx.paths.absolute(ctx.paths.photo(photo.id)), image: null, noindex: false },
    photo: {
      ...ctx.cards.card(photo, album?.id),
      description: photo.description,
      album: albumCrumb,
      breadcrumbs: album ? [...breadcrumbs(ctx, ancestors), albumCrumb!] : [],
      position: me ? { index: me.n, total: me.total } : null,
      metadata: metadataView(photo, ctx.principal.kind === 'user'),
      tags: tags.map((t) => ({ id: t.id, name: t.name, slug: t.slug, url: ctx.paths.tag(t.slug), count: t.count })),
      prev: me ? link(neighbours.find((n) => n.n === me.n - 1)) : null,
      next: me ? link(neighbours.find((n) => n.n === me.n + 1)) : null,
      downloadUrl: canDownload ? ctx.paths.media(photo.id, 'original') : null,
      extensions: {},
    },
  };
}

/**
 * The metadata panel. GPS is shown to signed-in users only: guests and share-link visitors never
 * receive coordinates (SECURITY.md: no GPS unless allowed).
 */
export function metadataView(row: PhotoPageRow, showPlace: boolean): PhotoMetadataView {
  const place: PlaceView | null =
    showPlace && row.latitude !== null && row.longitude !== null
      ? {
          lat: row.latitude,
          lon: row.longitude,
          name: null,
          mapUrl: `https://www.openstreetmap.org/?mlat=${row.latitude}&mlon=${row.longitude}#map=13/${row.latitude}/${row.longitude}`,
        }
      : null;
  return {
    camera: formatCamera(row.camera_make, row.camera_model),
    lens: row.lens,
    exposure: formatExposure(row.exposure_time),
    aperture: formatAperture(row.f_number),
    iso: row.iso,
    focalLength: formatFocalLength(row.focal_length),
    takenAt: row.taken_at === null ? null : new Date(row.taken_at).toISOString(),
    place,
    author: row.author,
    copyright: row.copyright,
    extra: [],
  };
}
