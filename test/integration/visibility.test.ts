import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantService } from '../../src/access/grant.service.js';
import { GUEST, type Principal } from '../../src/access/principal.js';
import { ShareLinkService } from '../../src/access/share-link.service.js';
import { VisibilityService } from '../../src/access/visibility.service.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { GroupService } from '../../src/groups/group.service.js';
import type { PrivacyLevel, Role } from '../../src/users/user.entity.js';
import { UserService } from '../../src/users/user.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { visibleSets } from '../support/visible-sets.js';
import { ParamBag } from '../../src/database/param-bag.js';

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('visibility filter (fixture tree, every principal)', () => {
  let db: TestDatabase;
  let albums: AlbumService;
  let visibility: VisibilityService;
  let grants: GrantService;
  let groups: GroupService;
  let shares: ShareLinkService;
  const A: Record<string, number> = {};
  const P: Record<string, number> = {};
  const U: Record<string, Principal> = {};
  const G: Record<string, number> = {};
  const tokens: Record<string, string> = {};

  const photo = async (name: string, level: PrivacyLevel, albumIds: number[], status = 'ready') => {
    const [row] = await db.dataSource.query(`INSERT INTO photos (original_name, privacy_level, status) VALUES ($1, $2, $3) RETURNING id`, [name, level, status]);
    P[name] = row.id;
    for (const a of albumIds) await albums.linkPhotos(a, [row.id]);
  };
  const user = async (name: string, role: Role, privacyLevel: PrivacyLevel = 0) => {
    const u = await new UserService(db.dataSource).create({ username: name, role, privacyLevel });
    U[name] = { kind: 'user', userId: u.id, username: name, role, privacyLevel };
    return u.id;
  };
  const sets = (p: Principal) => visibleSets(db.dataSource, visibility, p);
  const albumsOf = (...names: string[]) => sorted(names.map((n) => A[n]!));
  const photosOf = (...names: string[]) => sorted(names.map((n) => P[n]!));

  beforeAll(async () => {
    db = await createTestDatabase();
    albums = new AlbumService(db.dataSource);
    visibility = new VisibilityService(db.dataSource);
    grants = new GrantService(db.dataSource);
    groups = new GroupService(db.dataSource);
    shares = new ShareLinkService(db.dataSource);
    A.pub = (await albums.create({ name: 'Public' })).id;
    A.priv = (await albums.create({ name: 'Private', status: 'private' })).id;
    A.privUnderPub = (await albums.create({ name: 'Private under public', parentId: A.pub, status: 'private' })).id;
    A.pubUnderPriv = (await albums.create({ name: 'Public under private', parentId: A.priv })).id;
    A.hidden = (await albums.create({ name: 'Hidden', visible: false })).id;
    A.underHidden = (await albums.create({ name: 'Under hidden', parentId: A.hidden })).id;
    A.hiddenInPriv = (await albums.create({ name: 'Hidden in private', parentId: A.priv, visible: false })).id;
    await photo('p1', 0, [A.pub!]);
    await photo('pFriends', 2, [A.pub!]);
    await photo('pAdmins', 8, [A.pub!]);
    await photo('pPriv', 0, [A.priv!]);
    await photo('pBoth', 0, [A.pub!, A.priv!]);
    await photo('pPrivUnderPub', 0, [A.privUnderPub!]);
    await photo('pPubUnderPriv', 0, [A.pubUnderPriv!]);
    await photo('pHidden', 0, [A.hidden!, A.underHidden!]);
    await photo('pHiddenInPriv', 0, [A.hiddenInPriv!]);
    await photo('pLounge', 0, [A.pub!], 'lounge');
    await photo('pOrphan', 0, []);

    G.granted = (await groups.create({ name: 'Granted group' })).id;
    G.other = (await groups.create({ name: 'Other group' })).id;
    await user('noGrants', 'member');
    await user('friend', 'member', 2);
    const direct = await user('direct', 'member');
    const inGroup = await user('inGroup', 'member');
    const inOther = await user('inOther', 'member');
    const contributor = await user('contributor', 'contributor');
    await user('admin', 'admin');
    await groups.addMembers(G.granted!, [inGroup]);
    await groups.addMembers(G.other!, [inOther]);
    await grants.grant(A.priv!, { userIds: [direct, contributor] });
    await grants.grant(A.privUnderPub!, { groupIds: [G.granted!] });

    tokens.valid = (await shares.create({ albumId: A.priv! })).token;
    tokens.expiring = (await shares.create({ albumId: A.priv!, expiresAt: new Date(Date.now() + 60_000) })).token;
    const revoked = await shares.create({ albumId: A.priv! });
    tokens.revoked = revoked.token;
    await shares.revoke(revoked.link.id);
    tokens.password = (await shares.create({ albumId: A.pubUnderPriv!, password: 'client secret' })).token;
    tokens.selection = (await shares.create({ photoIds: [P.pPrivUnderPub!, P.pAdmins!] })).token;
    await db.dataSource.query(`UPDATE share_links SET expires_at = now() - interval '1 second' WHERE id = (SELECT max(id) - 3 FROM share_links)`);
  });
  afterAll(() => db?.close());

  const publicOnly = () => ({ albums: albumsOf('pub'), photos: photosOf('p1', 'pBoth') });

  it('anonymous visitors and members without grants see public content only', async () => {
    expect(await sets(GUEST)).toEqual(publicOnly());
    expect(await sets(U.noGrants!)).toEqual(publicOnly());
    expect(await sets(U.inOther!)).toEqual(publicOnly());
  });

  it('privacy levels: a "friends" member also sees friends photos, never admin-only ones', async () => {
    expect(await sets(U.friend!)).toEqual({ albums: albumsOf('pub'), photos: photosOf('p1', 'pFriends', 'pBoth') });
  });

  it('a direct grant opens the private album and its public child, not hidden ones', async () => {
    const expected = { albums: albumsOf('pub', 'priv', 'pubUnderPriv'), photos: photosOf('p1', 'pBoth', 'pPriv', 'pPubUnderPriv') };
    expect(await sets(U.direct!)).toEqual(expected);
    expect(await sets(U.contributor!)).toEqual(expected);
  });

  it('a group grant opens the private album under a public one', async () => {
    expect(await sets(U.inGroup!)).toEqual({ albums: albumsOf('pub', 'privUnderPub'), photos: photosOf('p1', 'pBoth', 'pPrivUnderPub') });
  });

  it('administrators see everything, lounge and orphans included', async () => {
    const all = await db.dataSource.query(`SELECT id FROM photos ORDER BY id`);
    const s = await sets(U.admin!);
    expect(s.albums).toEqual(sorted(Object.values(A)));
    expect(s.photos).toEqual(all.map((r: { id: number }) => r.id));
  });

  it('share links: valid sees exactly the shared subtree; expired, revoked and wrong password see nothing', async () => {
    const valid = await shares.open(tokens.valid!);
    expect(await sets(valid)).toEqual({ albums: albumsOf('priv', 'pubUnderPriv'), photos: photosOf('pBoth', 'pPriv', 'pPubUnderPriv') });
    await expect(shares.open(tokens.expiring!)).rejects.toMatchObject({ code: 'share.not_found', kind: 'not_found' });
    await expect(shares.open(tokens.revoked!)).rejects.toMatchObject({ code: 'share.not_found', kind: 'not_found' });
    await expect(shares.open('x'.repeat(43))).rejects.toMatchObject({ code: 'share.not_found' });
    await expect(shares.open(tokens.password!)).rejects.toMatchObject({ code: 'share.password_required' });
    await expect(shares.open(tokens.password!, 'guess')).rejects.toMatchObject({ code: 'share.wrong_password' });
    expect(await sets(await shares.open(tokens.password!, 'client secret'))).toEqual({ albums: albumsOf('pubUnderPriv'), photos: photosOf('pPubUnderPriv') });
    const selection = await shares.open(tokens.selection!);
    expect(await sets(selection)).toEqual({ albums: [], photos: photosOf('pPrivUnderPub', 'pAdmins') });
  });

  it('the per-album photo condition agrees with the general one for every principal and album', async () => {
    const principals = [GUEST, ...Object.values(U), await shares.open(tokens.valid!), await shares.open(tokens.selection!)];
    for (const principal of principals) {
      const scope = await visibility.scopeFor(principal);
      for (const albumId of Object.values(A)) {
        const a = new ParamBag();
        const fast = await db.dataSource.query(
          `SELECT p.id FROM album_photos ap JOIN photos p ON p.id = ap.photo_id WHERE ap.album_id = ${a.add(albumId)} AND ${scope.photoWhereInAlbum('p', albumId, a)} ORDER BY p.id`, a.values);
        const b = new ParamBag();
        const general = await db.dataSource.query(
          `SELECT p.id FROM album_photos ap JOIN photos p ON p.id = ap.photo_id WHERE ap.album_id = ${b.add(albumId)} AND ${scope.photoWhere('p', b)} AND ${scope.canSeeAlbum(albumId) || scope.photoIds !== null ? 'TRUE' : 'FALSE'} ORDER BY p.id`, b.values);
        expect(fast).toEqual(general);
      }
    }
  });

  it('bulk checks answer with the allowed subset in one call', async () => {
    const all = Object.values(P);
    expect(await visibility.filterPhotoIds(U.inGroup!, all)).toEqual(photosOf('p1', 'pBoth', 'pPrivUnderPub'));
    expect(await visibility.filterAlbumIds(GUEST, Object.values(A))).toEqual([A.pub]);
  });

  describe('cache invalidation: each change is visible on the very next request', () => {
    it('grants and revocations', async () => {
      const u = U.noGrants as Extract<Principal, { kind: 'user' }>;
      await sets(u);
      await grants.grant(A.priv!, { userIds: [u.userId] });
      expect((await sets(u)).albums).toContain(A.priv);
      await grants.revoke(A.priv!, { userIds: [u.userId] });
      expect((await sets(u)).albums).not.toContain(A.priv);
    });

    it('group membership', async () => {
      const u = U.noGrants as Extract<Principal, { kind: 'user' }>;
      await groups.addMembers(G.granted!, [u.userId]);
      expect((await sets(u)).albums).toContain(A.privUnderPub);
      await groups.removeMembers(G.granted!, [u.userId]);
      expect((await sets(u)).albums).not.toContain(A.privUnderPub);
    });

    it('status, visibility and tree changes', async () => {
      await sets(GUEST);
      await albums.update(A.priv!, { status: 'public' });
      expect((await sets(GUEST)).albums).toEqual(albumsOf('pub', 'priv', 'pubUnderPriv'));
      await albums.update(A.priv!, { status: 'private' });
      await albums.update(A.hidden!, { visible: true });
      expect((await sets(GUEST)).albums).toEqual(albumsOf('pub', 'hidden', 'underHidden'));
      await albums.update(A.hidden!, { visible: false });
      await albums.move(A.pubUnderPriv!, null);
      expect((await sets(GUEST)).albums).toEqual(albumsOf('pub', 'pubUnderPriv'));
      await albums.move(A.pubUnderPriv!, A.priv!);
      const fresh = await albums.create({ name: 'Fresh' });
      expect((await sets(GUEST)).albums).toEqual(sorted([A.pub!, fresh.id]));
      await albums.delete(fresh.id, 'keep');
      expect((await sets(GUEST)).albums).toEqual(albumsOf('pub'));
    });

    it('a photo privacy change and a revoked share link', async () => {
      await db.dataSource.query(`UPDATE photos SET privacy_level = 4 WHERE id = $1`, [P.p1]);
      expect((await sets(GUEST)).photos).toEqual(photosOf('pBoth'));
      await db.dataSource.query(`UPDATE photos SET privacy_level = 0 WHERE id = $1`, [P.p1]);
      const { token, link } = await shares.create({ albumId: A.pub! });
      const principal = await shares.open(token);
      expect((await sets(principal)).albums.length).toBeGreaterThan(0);
      await shares.revoke(link.id);
      expect(await sets(principal)).toEqual({ albums: [], photos: [] });
    });
  });
});
