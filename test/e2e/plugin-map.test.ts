import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbumService } from '../../src/albums/album.service.js';
import { GrantService } from '../../src/access/grant.service.js';
import { ThemeService } from '../../src/site/theme.service.js';
import { UserService } from '../../src/users/user.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { as, installTestPrincipal, userPrincipal } from '../support/test-principal.js';

/** The map plugin through the real app: only what the visitor may see, in both themes, no network. */
describe('map plugin, end to end', () => {
  let t: TestApp;
  let http: () => request.Agent;
  let outsider: Record<string, string>;
  let insider: Record<string, string>;
  const ids: Record<'paris' | 'rome' | 'oslo' | 'nowhere', number> = { paris: 0, rome: 0, oslo: 0, nowhere: 0 };
  const albums = { open: 0, secret: 0 };

  async function photo(title: string, level: number, at: [number, number] | null): Promise<number> {
    const [row] = await t.db.dataSource.query(
      `INSERT INTO photos (title, original_name, width, height, privacy_level, latitude, longitude) VALUES ($1, 'x.jpg', 400, 300, $2, $3, $4) RETURNING id`,
      [title, level, at?.[0] ?? null, at?.[1] ?? null],
    );
    return row.id;
  }

  /** Photo ids drawn on a map page, from `data-photo` attributes. */
  const pointsOf = (html: string) => [...html.matchAll(/data-photo="(\d+)"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);

  beforeAll(async () => {
    t = await createTestApp({ PLUGINS_ENABLE: 'map' }, { beforeInit: installTestPrincipal });
    http = () => request.agent(t.app.getHttpServer());
    const users = t.app.get(UserService);
    const outsiderId = (await users.create({ username: 'out', role: 'member' })).id;
    const insiderId = (await users.create({ username: 'in', role: 'member', privacyLevel: 4 })).id;
    outsider = as(userPrincipal(outsiderId, 'member', 0));
    insider = as(userPrincipal(insiderId, 'member', 4));
    const service = t.app.get(AlbumService);
    albums.open = (await service.create({ name: 'Open <b>album</b>' })).id;
    albums.secret = (await service.create({ name: 'Secret', status: 'private' })).id;
    await t.app.get(GrantService).grant(albums.secret, { userIds: [insiderId] });
    ids.paris = await photo('Eiffel <script>', 0, [48.8584, 2.2945]);
    ids.rome = await photo('Family in Rome', 4, [41.8902, 12.4922]);
    ids.oslo = await photo('Oslo secret', 0, [59.9139, 10.7522]);
    ids.nowhere = await photo('No GPS', 0, null);
    await service.linkPhotos(albums.open, [ids.paris, ids.rome, ids.nowhere]);
    await service.linkPhotos(albums.secret, [ids.oslo]);
  });
  afterAll(() => t?.close());

  it('/map shows each visitor exactly the geotagged photos they may see, and no coordinates of the others', async () => {
    const out = await http().get('/map').set(outsider).expect(200);
    expect(pointsOf(out.text)).toEqual([ids.paris]);
    expect(out.text).toContain('48.8584, 2.2945');
    expect(out.text).not.toContain('59.9139');
    expect(out.text).not.toContain('41.8902');
    expect(out.text).not.toContain('Oslo secret');

    const inside = await http().get('/map').set(insider).expect(200);
    expect(pointsOf(inside.text)).toEqual([ids.paris, ids.rome, ids.oslo].sort((a, b) => a - b));
    expect(inside.text).toContain('59.9139, 10.7522');
  });

  it('renders inside the theme layout with its own template, escaping titles, and an inline SVG map (no external URL)', async () => {
    const res = await http().get('/map').set(outsider).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toMatch(/<html[\s\S]*<svg class="plugin-map__svg"[\s\S]*<\/html>/);
    expect(res.text).toContain('Eiffel &lt;script&gt;');
    expect(res.text).not.toContain('Eiffel <script>');
    expect(res.text).toContain(`href="/photos/${ids.paris}"`);
    const section = res.text.slice(res.text.indexOf('<section class="plugin-map'), res.text.indexOf('</section>', res.text.indexOf('<section class="plugin-map')));
    expect(section).toContain('<svg');
    expect(section).not.toMatch(/(src|href)="https?:\/\//);
    expect(res.headers['content-security-policy']).toContain("img-src 'self' data:");
  });

  it('per album: its photos only; a private album is a 404 for outsiders, like a missing one', async () => {
    const open = await http().get(`/map/albums/${albums.open}`).set(outsider).expect(200);
    expect(pointsOf(open.text)).toEqual([ids.paris]);
    expect(open.text).toContain(`/photos/${ids.paris}?album&#x3D;${albums.open}`);
    expect(open.text).toContain('Open &lt;b&gt;album&lt;/b&gt;');

    const hidden = await http().get(`/map/albums/${albums.secret}`).set(outsider);
    const missing = await http().get('/map/albums/999999').set(outsider);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.text).toBe(missing.text);

    const granted = await http().get(`/map/albums/${albums.secret}`).set(insider).expect(200);
    expect(pointsOf(granted.text)).toEqual([ids.oslo]);
    await http().get('/map/albums/abc').set(insider).expect(404);
  });

  it('guests get no locations by default (like core photo pages)', async () => {
    const res = await http().get('/map').expect(200);
    expect(pointsOf(res.text)).toEqual([]);
    expect(res.text).toContain('Sign in to see where photos were taken.');
    expect(res.text).not.toContain('48.8584');
  });

  it('renders through the portfolio theme too', async () => {
    await t.app.get(ThemeService).activate('portfolio');
    try {
      const res = await http().get('/map').set(insider).expect(200);
      expect(pointsOf(res.text)).toEqual([ids.paris, ids.rome, ids.oslo].sort((a, b) => a - b));
      expect(res.text).toMatch(/<html[\s\S]*<\/html>/);
    } finally {
      await t.app.get(ThemeService).activate('default');
    }
  });

  it('the tile route answers 404 when no tile server is configured (nothing is fetched)', async () => {
    const res = await http().get('/api/v1/plugins/map/tiles/1/0/0');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
