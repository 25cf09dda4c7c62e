import { subject } from '@casl/ability';
import { describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { AbilityFactory } from './ability.factory.js';
import { GUEST, type Principal } from './principal.js';

const grantsOf = (ids: number[]) => ({ query: async () => ids.map((album_id) => ({ album_id })) }) as unknown as DataSource;
const user = (role: Extract<Principal, { kind: 'user' }>['role'], extra: Partial<Extract<Principal, { kind: 'user' }>> = {}): Principal => ({
  kind: 'user', userId: 7, username: 'u', role, privacyLevel: 0, ...extra,
});

describe('AbilityFactory', () => {
  const factory = new AbilityFactory(grantsOf([3]));

  it('guests read and nothing else', async () => {
    const a = await factory.forPrincipal(GUEST);
    expect(a.can('read', 'Album')).toBe(true);
    expect(a.can('create', 'Album')).toBe(false);
    expect(a.can('download', 'Photo')).toBe(false);
  });

  it('administrators manage everything; editors manage content but not users', async () => {
    const admin = await factory.forPrincipal(user('admin'));
    expect(admin.can('delete', 'User')).toBe(true);
    const editor = await factory.forPrincipal(user('editor'));
    expect(editor.can('update', 'Album')).toBe(true);
    expect(editor.can('create', 'ShareLink')).toBe(true);
    expect(editor.can('update', subject('User', { id: 99 }))).toBe(false);
    expect(editor.can('read', 'AuditLog')).toBe(false);
  });

  it('contributors upload only into granted albums and edit only their own photos', async () => {
    const c = await factory.forPrincipal(user('contributor'));
    expect(c.can('upload', subject('Album', { id: 3 }))).toBe(true);
    expect(c.can('upload', subject('Album', { id: 4 }))).toBe(false);
    expect(c.can('update', subject('Photo', { addedBy: 7 }))).toBe(true);
    expect(c.can('update', subject('Photo', { addedBy: 8 }))).toBe(false);
  });

  it('a read-only API key loses every write its owner has', async () => {
    const a = await factory.forPrincipal(user('admin', { apiKey: { id: 1, scopes: ['read'] } }));
    expect(a.can('read', 'Album')).toBe(true);
    expect(a.can('update', 'Album')).toBe(false);
    expect(a.can('delete', 'User')).toBe(false);
    expect(a.can('create', 'ApiKey')).toBe(false);
    const rw = await factory.forPrincipal(user('admin', { apiKey: { id: 1, scopes: ['read', 'write'] } }));
    expect(rw.can('update', 'Album')).toBe(true);
  });

  it('share links download only when the link allows it; users manage only their own keys', async () => {
    expect((await factory.forPrincipal({ kind: 'share', shareLinkId: 1, role: 'guest', privacyLevel: 0, allowDownload: true })).can('download', 'Photo')).toBe(true);
    expect((await factory.forPrincipal({ kind: 'share', shareLinkId: 1, role: 'guest', privacyLevel: 0, allowDownload: false })).can('download', 'Photo')).toBe(false);
    const m = await factory.forPrincipal(user('member'));
    expect(m.can('delete', subject('ApiKey', { userId: 7 }))).toBe(true);
    expect(m.can('delete', subject('ApiKey', { userId: 9 }))).toBe(false);
  });
});
