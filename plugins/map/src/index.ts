import { definePlugin } from '../../../src/plugins/index.js';
import { mapPage } from './map.page.js';
import { mapOptions } from './map.settings.js';
import { MapTilesController, MapTileService } from './map-tiles.controller.js';

/**
 * A map of where photos were taken: `/map` for the whole gallery and `/map/albums/:id` per
 * album (with its sub-albums), rendered through the active theme. Only photos the visitor may see
 * appear; guests see locations only when the admin allows it. Works without network access: the
 * points are drawn on a plain projection unless a tile server is configured (tiles are then
 * fetched and cached by the server).
 */
export default definePlugin({
  name: 'map',
  description: 'A map of where photos were taken, per album and for the whole gallery.',
  options: mapOptions,

  views: { templates: 'views/templates' }, // map/map

  routes: [
    {
      path: '/map',
      template: 'map/map',
      handler: (req, ctx) => mapPage(ctx, req.actor, null),
    },
    {
      path: '/map/albums/:id',
      template: 'map/map',
      async handler(req, ctx) {
        const id = /^[1-9]\d{0,9}$/.test(req.params.id ?? '') ? Number(req.params.id) : NaN;
        if (!Number.isSafeInteger(id) || id > 2_147_483_647) return null;
        const album = await ctx.services.albums.get(id, req.actor); // null when hidden: same 404 as missing
        return album ? mapPage(ctx, req.actor, album) : null;
      },
    },
  ],

  controllers: [MapTilesController],
  providers: [MapTileService],

  hooks(h) {
    // Lets themes link an album to its map (`{{#if extensions.map}}<a href="{{extensions.map.url}}">`), at no query cost.
    h.on('album.viewModel', (view) => ({ ...view, extensions: { ...view.extensions, map: { url: `/map/albums/${view.album.id}` } } }));
  },
});
