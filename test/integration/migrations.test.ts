import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator } from '../../src/database/migrator.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const tables = async (db: TestDatabase) =>
  (
    (await db.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1`,
    )) as { table_name: string }[]
  ).map((r) => r.table_name);

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(() => db?.close());

  it('run up on an empty database, report status, go all the way down and up again', async () => {
    const migrator = new Migrator(db.dataSource);
    expect((await migrator.pending()).length).toBeGreaterThanOrEqual(4);
    const applied = await migrator.up();
    expect(applied.length).toBe((await migrator.status()).length);
    expect(await migrator.pending()).toEqual([]);
    const full = await tables(db);
    for (const t of ['users', 'groups', 'group_members', 'albums', 'album_closure', 'photos', 'album_photos', 'tags', 'photo_tags',
      'album_user_grants', 'album_group_grants', 'share_links', 'api_keys', 'sessions', 'audit_log', 'settings', 'plugins']) {
      expect(full).toContain(t);
    }

    const reverted = await migrator.down(applied.length);
    expect(reverted).toBe(applied.length);
    expect(await tables(db)).toEqual([]);
    expect((await migrator.pending()).length).toBe(applied.length);

    await migrator.up();
    expect(await tables(db)).toEqual(full);
  });

  it('keeps the audit log append-only', async () => {
    await db.dataSource.query(`INSERT INTO audit_log (actor_label, action) VALUES ('test', 'album.create')`);
    await expect(db.dataSource.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });
});
