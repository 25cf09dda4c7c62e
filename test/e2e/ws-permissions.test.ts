import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantService } from '../../src/access/grant.service.js';
import { GUEST, type Principal } from '../../src/access/principal.js';
import { VisibilityService } from '../../src/access/visibility.service.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { GroupService } from '../../src/groups/group.service.js';
import { UserService } from '../../src/users/user.service.js';
import { insertPhoto, tagPhoto } from '../support/api-fixture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { visibleSets } from '../support/visible-sets.js';

/**
 * Every ws.php listing method, called as each principal through ws.php's own authentication,
 * against the visible sets computed by the shared SQL filter (test/support/visible-sets.ts):
 *
 *   Holidays (public)      p1 "beach day" (0, tag beach), p2 "family dinner" (level 4, tag family)
 *   ├─ Attic (private)     p4 "hidden sunset" (0, tag attic-only); granted to group "family"
 *   └─ Hidden (not visible) p5 "invisible thing" (0)
 *   Secret (private)       p3 "secret plan" (0, tag classified); granted to user "granted"
 *   Holidays' cover is p4 (must not leak as a cover to who cannot see it).
 */
let t: TestApp;
let server: Server;
const ids = { holidays: 0, attic: 0, hidden: 0, secret: 0, p1: 0, p2: 0, p3: 0, p4: 0, p5: 0 };
const principals: Record<string, { principal: Principal; agent: ReturnType<typeof request.agent> }> = {};
const albumNames: Record<number, string> = {};
const photoTitles: Record<number, string> = {};
const tagOf: Record<number, string | undefined> = {};

const json = (res: request.Response) => JSON.parse(res.text) as { stat: string; result: Record<string, unknown> };

beforeAll(async () => {
  t = await createTestApp();
  server = t.app.getHttpServer() as Server;
  const ds = t.db.dataSource;
  const albums = t.app.get(AlbumService);
  const users = t.app.get(UserService);
  const groups = t.app.get(GroupService);
  const grants = t.app.get(GrantService);
  ids.holidays = (await albums.create({ name: 'Holidays' })).id;
  ids.attic = (await albums.create({ name: 'Attic', parentId: ids.holidays, status: 'private' })).id;
  ids.hidden = (await albums.create({ name: 'Hidden', parentId: ids.holidays, visible: false })).id;
  ids.secret = (await albums.create({ name: 'Secret', status: 'private' })).id;
  Object.assign(albumNames, { [ids.holidays]: 'Holidays', [ids.attic]: 'Attic', [ids.hidden]: 'Hidden', [ids.secret]: 'Secret' });
  const photo = async (key: 'p1' | 'p2' | 'p3' | 'p4' | 'p5', title: string, album: number, tag?: string, privacyLevel: 0 | 4 = 0) => {
    ids[key] = await insertPhoto(ds, { title, privacyLevel, originalName: `${key}.jpg` });
    photoTitles[ids[key]] = title;
    await albums.linkPhotos(album, [ids[key]]);
    if (tag) await tagPhoto(ds, ids[key], tag);
    tagOf[ids[key]] = tag;
  };
  await photo('p1', 'beach day', ids.holidays, 'beach');
  await photo('p2', 'family dinner', ids.holidays, 'family', 4);
  await photo('p3', 'secret plan', ids.secret, 'classified');
  await photo('p4', 'hidden sunset', ids.attic, 'atticonly');
  await photo('p5', 'invisible thing', ids.hidden);
  await albums.setRepresentative(ids.holidays, ids.p4);

  const member = await users.create({ username: 'member', password: 'member-pass' });
  const granted = await users.create({ username: 'granted', password: 'granted-pass', privacyLevel: 4 });
  const relative = await users.create({ username: 'relative', password: 'relative-pass' });
  const admin = await users.create({ username: 'boss', password: 'boss-pass', role: 'admin', privacyLevel: 8 });
  await grants.grant(ids.secret, { userIds: [granted.id] });
  const family = await groups.create({ name: 'family' });
  await groups.addMembers(family.id, [relative.id]);
  await grants.grant(ids.attic, { groupIds: [family.id] });

  const login = async (username: string, password: string) => {
    const agent = request.agent(server);
    const res = await agent.post('/ws.php?format=json').type('form').send({ method: 'pwg.session.login', username, password });
    expect(json(res).result).toBe(true);
    return agent;
  };
  principals['guest'] = { principal: GUEST, agent: request.agent(server) };
  principals['member'] = { principal: { kind: 'user', userId: member.id, username: 'member', role: 'member', privacyLevel: 0 }, agent: await login('member', 'member-pass') };
  principals['granted'] = { principal: { kind: 'user', userId: granted.id, username: 'granted', role: 'member', privacyLevel: 4 }, agent: await login('granted', 'granted-pass') };
  principals['relative'] = { principal: { kind: 'user', userId: relative.id, username: 'relative', role: 'member', privacyLevel: 0 }, agent: await login('relative', 'relative-pass') };
  principals['admin'] = { principal: { kind: 'user', userId: admin.id, username: 'boss', role: 'admin', privacyLevel: 8 }, agent: await login('boss', 'boss-pass') };
});
afterAll(() => t.close());

describe.each(['guest', 'member', 'granted', 'relative', 'admin'])('ws.php listings as %s', (who) => {
  let expected: { albums: number[]; photos: number[] };
  let bodies: string[];
  const call = async (query: string) => {
    const res = await principals[who]!.agent.get(`/ws.php?format=json&${query}`);
    expect(res.status).toBe(200);
    bodies.push(res.text);
    return json(res).result;
  };
  const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
  const inAlbum: Record<number, () => number[]> = {};

  beforeAll(async () => {
    expected = await visibleSets(t.db.dataSource, t.app.get(VisibilityService), principals[who]!.principal);
    bodies = [];
    const links: { album_id: number; photo_id: number }[] = await t.db.dataSource.query(`SELECT album_id, photo_id FROM album_photos`);
    for (const a of Object.values(ids).slice(0, 4)) inAlbum[a] = () => links.filter((l) => l.album_id === a && expected.photos.includes(l.photo_id)).map((l) => l.photo_id);
  });

  it('pwg.categories.getList (root and recursive) lists exactly the visible albums, with counts of visible photos', async () => {
    const all = (await call('method=pwg.categories.getList&recursive=true'))['categories'] as Array<Record<string, unknown>>;
    expect(sorted(all.map((c) => c['id'] as number))).toEqual(expected.albums);
    for (const cat of all) {
      const id = cat['id'] as number;
      expect(cat['nb_images'], `nb_images of ${albumNames[id]}`).toBe(inAlbum[id]!().length);
      const below = expected.albums.filter((a) => a === id || (id === ids.holidays && (a === ids.attic || a === ids.hidden)));
      expect(cat['total_nb_images'], `total of ${albumNames[id]}`).toBe(new Set(below.flatMap((a) => inAlbum[a]!())).size);
      expect(cat['nb_categories']).toBe(below.length - 1);
      if (cat['representative_picture_id'] !== null) expect(expected.photos).toContain(Number(cat['representative_picture_id']));
    }
    const roots = (await call('method=pwg.categories.getList'))['categories'] as Array<{ id: number }>;
    expect(sorted(roots.map((c) => c.id))).toEqual(expected.albums.filter((a) => a === ids.holidays || a === ids.secret));
    const children = (await call(`method=pwg.categories.getList&cat_id=${ids.holidays}`))['categories'] as Array<{ id: number }>;
    expect(sorted(children.map((c) => c.id))).toEqual(expected.albums.filter((a) => a !== ids.secret));
  });

  it('pwg.categories.getImages (all, per album, recursive) returns exactly the visible photos', async () => {
    const all = (await call('method=pwg.categories.getImages&per_page=500'))['images'] as Array<{ id: number }>;
    expect(sorted(all.map((i) => i.id))).toEqual(expected.photos);
    for (const album of [ids.holidays, ids.attic, ids.hidden, ids.secret]) {
      const result = await call(`method=pwg.categories.getImages&cat_id=${album}`);
      const images = result['images'] as Array<{ id: number; categories: Array<{ id: number }> }>;
      expect(sorted(images.map((i) => i.id)), albumNames[album]).toEqual(sorted(expected.albums.includes(album) ? inAlbum[album]!() : []));
      expect((result['paging'] as { total_count: number }).total_count).toBe(images.length);
      for (const image of images) for (const c of image.categories) expect(expected.albums).toContain(c.id);
    }
    const recursive = (await call(`method=pwg.categories.getImages&cat_id=${ids.holidays}&recursive=true`))['images'] as Array<{ id: number }>;
    const holidaysTree = [ids.holidays, ids.attic, ids.hidden].filter((a) => expected.albums.includes(a));
    expect(sorted(recursive.map((i) => i.id))).toEqual(sorted([...new Set(holidaysTree.flatMap((a) => inAlbum[a]!()))]));
  });

  it('pwg.tags.getList and pwg.tags.getImages show only tags and photos of visible photos', async () => {
    const tags = (await call('method=pwg.tags.getList'))['tags'] as Array<{ name: string; counter: number }>;
    const visibleTags = [...new Set(expected.photos.map((p) => tagOf[p]).filter((x): x is string => !!x))].sort();
    expect(tags.map((x) => x.name).sort()).toEqual(visibleTags);
    for (const tag of tags) expect(tag.counter).toBe(expected.photos.filter((p) => tagOf[p] === tag.name).length);
    for (const name of ['beach', 'family', 'classified', 'atticonly']) {
      const images = (await call(`method=pwg.tags.getImages&tag_name=${name}`))['images'] as Array<{ id: number }>;
      expect(sorted(images.map((i) => i.id)), name).toEqual(expected.photos.filter((p) => tagOf[p] === name));
    }
  });

  it('pwg.images.getInfo answers only visible photos', async () => {
    for (const id of [ids.p1, ids.p2, ids.p3, ids.p4, ids.p5]) {
      const res = await principals[who]!.agent.get(`/ws.php?format=json&method=pwg.images.getInfo&image_id=${id}`);
      const body = JSON.parse(res.text) as { stat: string };
      if (expected.photos.includes(id)) expect(body.stat, photoTitles[id]).toBe('ok');
      else {
        expect(body.stat, photoTitles[id]).toBe('fail');
        expect(res.text).not.toContain(photoTitles[id]);
      }
    }
  });

  it('no answer names an invisible album, photo or tag', () => {
    const text = bodies.join('\n');
    for (const [id, name] of Object.entries(albumNames)) if (!expected.albums.includes(Number(id))) expect(text).not.toContain(`"${name}"`);
    for (const [id, title] of Object.entries(photoTitles)) if (!expected.photos.includes(Number(id))) expect(text).not.toContain(title);
    for (const [id, tag] of Object.entries(tagOf)) {
      if (tag && !expected.photos.some((p) => tagOf[p] === tag)) expect(text, `tag ${tag} of photo ${id}`).not.toContain(`"${tag}"`);
    }
  });
});
