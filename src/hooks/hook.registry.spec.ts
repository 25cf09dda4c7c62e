import { describe, expect, it, vi } from 'vitest';
import { HookHandlerError, HookRejection, UnknownHookError } from './hook.errors.js';
import type { AlbumView, HookContext, ImportCandidate, PhotoMetadata, PhotoRef, RenderContext } from './hook-payloads.js';
import { HookRegistry, type HookLogger } from './hook.registry.js';

const ctx: HookContext = { actor: { userId: 1, username: 'ada', role: 'admin', via: 'session' } };
const render: RenderContext = { ...ctx, page: 'album', url: 'http://x/album/1', theme: 'default' };
const photo = { id: 7, title: 'Dune' } as PhotoRef;
const candidate = { source: 'upload', albumId: 1, title: null, privacyLevel: 0 } as unknown as ImportCandidate;
const view = (): AlbumView => ({ album: { id: 1, name: 'A', url: '/a', photoCount: 0, description: null }, ancestors: [], children: [], photos: [], extensions: {} });

function setup() {
  const logger = { error: vi.fn(), warn: vi.fn() } satisfies HookLogger;
  return { hooks: new HookRegistry({ logger }), logger };
}

describe('HookRegistry ordering', () => {
  it('runs handlers by priority, lower first', async () => {
    const { hooks } = setup();
    const calls: string[] = [];
    hooks.on('photo.imported', () => void calls.push('b:50'), { plugin: 'b', priority: 50 });
    hooks.on('photo.imported', () => void calls.push('a:200'), { plugin: 'a', priority: 200 });
    hooks.on('photo.imported', () => void calls.push('c:-5'), { plugin: 'c', priority: -5 });
    hooks.on('photo.imported', () => void calls.push('d:default'), { plugin: 'd' });
    await hooks.doAction('photo.imported', photo, ctx);
    expect(calls).toEqual(['c:-5', 'b:50', 'd:default', 'a:200']);
  });

  it('keeps registration order among equal priorities', async () => {
    const { hooks } = setup();
    const calls: string[] = [];
    for (const plugin of ['z', 'a', 'm']) hooks.on('photo.imported', () => void calls.push(plugin), { plugin, priority: 10 });
    hooks.on('photo.imported', () => void calls.push('first'), { plugin: 'q', priority: 1 });
    await hooks.doAction('photo.imported', photo, ctx);
    expect(calls).toEqual(['first', 'z', 'a', 'm']);
  });

  it('awaits async handlers one after the other', async () => {
    const { hooks } = setup();
    const calls: string[] = [];
    hooks.on('photo.imported', async () => { await new Promise((r) => setTimeout(r, 20)); calls.push('slow'); }, { plugin: 'a' });
    hooks.on('photo.imported', () => void calls.push('fast'), { plugin: 'b' });
    await hooks.doAction('photo.imported', photo, ctx);
    expect(calls).toEqual(['slow', 'fast']);
  });

  it('passes exactly the arguments to actions', async () => {
    const { hooks } = setup();
    const handler = vi.fn();
    hooks.on('album.moved', handler, { plugin: 'a' });
    const album = { id: 3 } as never;
    await hooks.doAction('album.moved', album, { fromParentId: 1, toParentId: null }, ctx);
    expect(handler).toHaveBeenCalledWith(album, { fromParentId: 1, toParentId: null }, ctx);
  });
});

describe('HookRegistry filters', () => {
  it('chain: each handler gets the previous result, with the extra arguments', async () => {
    const { hooks } = setup();
    hooks.on('photo.beforeImport', (c) => ({ ...c, title: `${c.title ?? ''}b` }), { plugin: 'b', priority: 20 });
    hooks.on('photo.beforeImport', (c) => ({ ...c, title: 'a' }), { plugin: 'a', priority: 10 });
    hooks.on('photo.beforeImport', async (c, context) => ({ ...c, title: `${c.title}-${context.actor.username}` }), { plugin: 'c', priority: 30 });
    const result = await hooks.applyFilter('photo.beforeImport', candidate, ctx);
    expect(result.title).toBe('ab-ada');
    expect(candidate.title).toBeNull();
  });

  it('return the value untouched when nobody subscribed', async () => {
    const { hooks } = setup();
    const sizes = { thumb: { width: 144, height: 144, crop: false, eager: true } };
    expect(await hooks.applyFilter('image.sizes', sizes)).toBe(sizes);
  });

  it('treat a handler that returns undefined as a failure (in transaction: error naming the plugin)', async () => {
    const { hooks } = setup();
    hooks.on('photo.metadata', (() => undefined) as never, { plugin: 'forgetful' });
    await expect(hooks.applyFilter('photo.metadata', {} as PhotoMetadata, {} as never, ctx)).rejects.toThrow(
      /Plugin "forgetful" failed in hook "photo.metadata": the filter handler returned undefined/,
    );
  });
});

describe('HookRegistry phases', () => {
  it('inTransaction: wraps errors in HookHandlerError naming plugin and hook, and stops', async () => {
    const { hooks, logger } = setup();
    const later = vi.fn((m: PhotoMetadata) => m);
    hooks.on('photo.metadata', () => { throw new Error('exif parser exploded'); }, { plugin: 'exif-plus' });
    hooks.on('photo.metadata', later, { plugin: 'other', priority: 500 });
    const run = hooks.applyFilter('photo.metadata', {} as PhotoMetadata, {} as never, ctx);
    await expect(run).rejects.toBeInstanceOf(HookHandlerError);
    await expect(run).rejects.toMatchObject({
      plugin: 'exif-plus',
      hook: 'photo.metadata',
      message: 'Plugin "exif-plus" failed in hook "photo.metadata": exif parser exploded',
      cause: expect.objectContaining({ message: 'exif parser exploded' }),
    });
    expect(later).not.toHaveBeenCalled();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('afterCommit action: logs the error with the plugin name, runs the others, never throws', async () => {
    const { hooks, logger } = setup();
    const after = vi.fn();
    hooks.on('photo.imported', () => { throw new Error('mailer down'); }, { plugin: 'notify' });
    hooks.on('photo.imported', async () => { throw new Error('async too'); }, { plugin: 'async-notify' });
    hooks.on('photo.imported', after, { plugin: 'stats', priority: 1000 });
    await expect(hooks.doAction('photo.imported', photo, ctx)).resolves.toBeUndefined();
    expect(after).toHaveBeenCalledOnce();
    expect(logger.error).toHaveBeenCalledTimes(2);
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ plugin: 'notify', hook: 'photo.imported', err: expect.any(Error) }),
      expect.stringContaining('Plugin "notify" failed (ignored, after commit) in hook "photo.imported": mailer down'),
    );
  });

  it('afterCommit filter: skips the failing handler and keeps the previous value', async () => {
    const { hooks, logger } = setup();
    hooks.on('album.viewModel', (v) => ({ ...v, extensions: { a: 1 } }), { plugin: 'a', priority: 1 });
    hooks.on('album.viewModel', () => { throw new Error('boom'); }, { plugin: 'broken', priority: 2 });
    hooks.on('album.viewModel', (v) => ({ ...v, extensions: { ...v.extensions, c: 3 } }), { plugin: 'c', priority: 3 });
    const result = await hooks.applyFilter('album.viewModel', view(), render);
    expect(result.extensions).toEqual({ a: 1, c: 3 });
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('afterCommit: survives a logger that throws', async () => {
    const hooks = new HookRegistry({ logger: { error: () => { throw new Error('log'); }, warn: () => {} } });
    hooks.on('user.loggedIn', () => { throw new Error('x'); }, { plugin: 'a' });
    await expect(hooks.doAction('user.loggedIn', { id: 1, username: 'a', role: 'member' }, ctx)).resolves.toBeUndefined();
  });
});

describe('HookRejection', () => {
  it('vetoes an inTransaction hook: passes through unwrapped, with reason, plugin and hook', async () => {
    const { hooks } = setup();
    hooks.on('photo.beforeImport', () => { throw new HookRejection('Only JPEG files are accepted here.', 'jpeg-only.rejected'); }, { plugin: 'jpeg-only' });
    const error = await hooks.applyFilter('photo.beforeImport', candidate, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HookRejection);
    expect(error).toMatchObject({
      reason: 'Only JPEG files are accepted here.',
      message: 'Only JPEG files are accepted here.',
      kind: 'invalid',
      code: 'jpeg-only.rejected',
      plugin: 'jpeg-only',
      hook: 'photo.beforeImport',
      extra: { plugin: 'jpeg-only', hook: 'photo.beforeImport' },
    });
  });

  it('cannot veto after commit: it is logged as a warning and ignored', async () => {
    const { hooks, logger } = setup();
    hooks.on('share.opened', () => { throw new HookRejection('no'); }, { plugin: 'late' });
    await hooks.doAction('share.opened', { id: 1, albumId: 2, label: null, expiresAt: null }, ctx);
    expect(logger.warn).toHaveBeenCalledWith({ plugin: 'late', hook: 'share.opened' }, expect.stringContaining('tried to reject after commit'));
  });
});

describe('HookRegistry names and kinds', () => {
  it('refuses an unknown hook, naming the plugin and suggesting the closest name', () => {
    const { hooks } = setup();
    const subscribe = () => hooks.on('photo.imprted' as never, (() => {}) as never, { plugin: 'typo' });
    expect(subscribe).toThrow(UnknownHookError);
    expect(subscribe).toThrow('Plugin "typo" uses unknown hook "photo.imprted". Did you mean "photo.imported"?');
  });

  it('refuses to run an unknown hook or a hook of the other kind', async () => {
    const { hooks } = setup();
    await expect(hooks.doAction('nope' as never)).rejects.toThrow(UnknownHookError);
    await expect(hooks.doAction('album.viewModel' as never)).rejects.toThrow('Hook "album.viewModel" is a filter; run it with applyFilter.');
    await expect(hooks.applyFilter('photo.imported' as never, undefined as never)).rejects.toThrow('is an action; run it with doAction');
  });

  it('requires a plugin name, a function and a finite priority', () => {
    const { hooks } = setup();
    expect(() => hooks.on('photo.imported', () => {}, {} as never)).toThrow('has no plugin name');
    expect(() => hooks.on('photo.imported', 'x' as never, { plugin: 'p' })).toThrow('with a string, not a function');
    expect(() => hooks.on('photo.imported', () => {}, { plugin: 'p', priority: Number.NaN })).toThrow('use a finite number');
  });

  it('lets plugins declare hooks named after themselves, once', async () => {
    const { hooks } = setup();
    const entry = { name: 'hello.greeted', kind: 'action', phase: 'afterCommit', payload: 'args: [name]', summary: 's', since: '1.0.0' } as const;
    hooks.declare(entry, 'hello');
    expect(hooks.has('hello.greeted')).toBe(true);
    expect(() => hooks.declare(entry, 'hello-two')).toThrow('Hook "hello.greeted" is declared twice: by plugin "hello" and by plugin "hello-two".');
    expect(() => hooks.declare({ ...entry, name: 'photo.imported' }, 'hello')).toThrow('by core and by plugin "hello"');
    expect(() => hooks.declare({ ...entry, name: 'other.thing' }, 'hello')).toThrow('plugin hooks must be named "hello.<event>"');
    const seen = vi.fn();
    hooks.on('hello.greeted', seen, { plugin: 'fan' });
    await hooks.doAction('hello.greeted', 'Ada');
    expect(seen).toHaveBeenCalledWith('Ada');
    hooks.undeclareAll('hello');
    expect(hooks.has('hello.greeted')).toBe(false);
    expect(hooks.subscriptions('hello.greeted')).toEqual([]);
  });
});

describe('HookRegistry subscriptions', () => {
  it('tags each subscription with its plugin; unsubscribe and unsubscribeAll remove them', async () => {
    const { hooks } = setup();
    const off = hooks.on('photo.imported', () => {}, { plugin: 'a', priority: 5 });
    hooks.on('photo.deleted', () => {}, { plugin: 'a' });
    hooks.on('photo.imported', () => {}, { plugin: 'b' });
    expect(hooks.subscriptions('photo.imported').map((s) => [s.plugin, s.priority])).toEqual([['a', 5], ['b', 100]]);
    off();
    expect(hooks.subscriptions('photo.imported').map((s) => s.plugin)).toEqual(['b']);
    expect(hooks.unsubscribeAll('a')).toBe(1);
    expect(hooks.unsubscribeAll('b')).toBe(1);
    expect(hooks.subscriptions()).toEqual([]);
  });

  it('is not disturbed by a handler that unsubscribes during a run', async () => {
    const { hooks } = setup();
    const calls: string[] = [];
    const off = hooks.on('photo.imported', () => { calls.push('a'); off(); }, { plugin: 'a' });
    hooks.on('photo.imported', () => void calls.push('b'), { plugin: 'b' });
    await hooks.doAction('photo.imported', photo, ctx);
    await hooks.doAction('photo.imported', photo, ctx);
    expect(calls).toEqual(['a', 'b', 'b']);
  });
});
