/**
 * Type-level tests of definePlugin. Compiled by `hook-types.spec.ts` through test/types/tsconfig.json;
 * every `@ts-expect-error` must be a real error.
 */
import { z } from 'zod';
import { definePlugin } from './plugin.types.js';

// Options are typed from the schema, in every callback and contribution handler.
definePlugin({
  name: 'typed',
  options: z.object({ stock: z.string().default('HP5'), limit: z.number().default(10) }),
  bootstrap(ctx) {
    ctx.options.stock satisfies string;
    ctx.options.limit satisfies number;
  },
  routes: [{ path: '/films', template: 'typed/films', handler: (req, ctx) => ({ stock: ctx.options.stock, q: req.query }) }],
  importers: [
    {
      id: 'typed-source',
      label: 'Typed source',
      options: z.object({ folder: z.string() }),
      async *scan(options: { folder: string }, run) {
        run.ctx.options.limit satisfies number;
        yield { source: { kind: 'file', path: options.folder }, originalName: 'a.jpg' };
      },
    },
  ],
  hooks(h) {
    h.on('photo.imported', (photo, ctx) => void [photo.id, ctx.actor]);
    h.on('image.sizes', (sizes) => sizes, { priority: 5 });
  },
});

// Without a schema, options are an empty object.
definePlugin({
  name: 'plain',
  bootstrap(ctx) {
    // @ts-expect-error no options declared
    void ctx.options.stock;
  },
});

definePlugin({
  name: 'wrong',
  options: z.object({ stock: z.string().default('HP5') }),
  bootstrap(ctx) {
    // @ts-expect-error stock is a string
    ctx.options.stock satisfies number;
  },
  hooks(h) {
    // @ts-expect-error unknown hook
    h.on('photo.imprted', () => {});
    // @ts-expect-error a filter returns its value
    h.on('site.head', () => undefined);
    // @ts-expect-error the priority is a number
    h.on('photo.imported', () => {}, { priority: 'high' });
  },
});

definePlugin({
  name: 'bad-contributions',
  // @ts-expect-error metadata field types are a closed set
  metadataFields: [{ key: 'x', type: 'json', label: 'X' }],
});

definePlugin({
  name: 'bad-importer',
  importers: [
    // @ts-expect-error scan must return an AsyncIterable of ImportItem
    { id: 'x', label: 'X', scan: () => [1, 2, 3] },
  ],
});

// @ts-expect-error name is required
definePlugin({ version: '1.0.0' });
