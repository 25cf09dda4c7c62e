import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUEST } from '../../src/access/principal.js';
import { AuditService, labelOf } from '../../src/audit/audit.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('AuditService (integration)', () => {
  let db: TestDatabase;
  let audit: AuditService;
  beforeAll(async () => {
    db = await createTestDatabase();
    audit = new AuditService(db.dataSource);
  });
  afterAll(() => db?.close());

  const user = { kind: 'user', userId: 1, username: 'ann', role: 'admin', privacyLevel: 8 } as const;

  it('labels actors', () => {
    expect(labelOf(null)).toBe('system');
    expect(labelOf(GUEST)).toBe('anonymous');
    expect(labelOf(user)).toBe('ann');
    expect(labelOf({ ...user, apiKey: { id: 4, scopes: ['read'] } })).toBe('ann (API key #4)');
    expect(labelOf({ kind: 'share', shareLinkId: 9, role: 'guest', privacyLevel: 0, allowDownload: false })).toBe('share link #9');
  });

  it('records inside a transaction through its EntityManager, and rolls back with it', async () => {
    await db.dataSource.transaction(async (em) => {
      await audit.record({ actor: user, action: 'album.update', targetType: 'album', targetId: 3, ip: '192.0.2.1', summary: { name: 'x' } }, em);
    });
    await db.dataSource
      .transaction(async (em) => {
        await audit.record({ actor: user, action: 'album.delete', targetType: 'album', targetId: 4 }, em);
        throw new Error('rollback');
      })
      .catch(() => undefined);
    const { items } = await audit.list({ targetType: 'album' });
    expect(items.map((e) => e.action)).toEqual(['album.update']);
    expect(items[0]).toMatchObject({ actor: { userId: 1, label: 'ann' }, target: { type: 'album', id: '3' }, ip: '192.0.2.1', summary: { name: 'x' } });
  });

  it('bounds summaries and redacts secrets; refuses malformed actions', async () => {
    await audit.record({ actor: null, actorLabel: 'cli', action: 'user.reset_password', targetType: 'user', targetId: 1, summary: { password: 'hunter22', note: 'a\u0000b'.repeat(500) } });
    const [entry] = (await audit.list({ actionPrefix: 'user.reset' })).items;
    expect(entry!.actor).toEqual({ userId: null, label: 'cli' });
    expect(entry!.summary.password).toBe('[redacted]');
    expect((entry!.summary.note as string).length).toBeLessThanOrEqual(301);
    await expect(audit.record({ actor: null, action: 'Bad Action; DROP' })).rejects.toThrow(/Invalid audit action/);
  });

  it('filters and pages', async () => {
    for (let i = 0; i < 5; i++) await audit.record({ actor: { ...user, userId: 2, username: 'bo' }, action: 'tag.create', targetType: 'tag', targetId: i });
    const page1 = await audit.list({ actorUserId: 2, limit: 2 });
    expect(page1.items.map((e) => e.target.id)).toEqual(['4', '3']);
    const page2 = await audit.list({ actorUserId: 2, limit: 2, cursor: page1.nextCursor! });
    expect(page2.items.map((e) => e.target.id)).toEqual(['2', '1']);
    const page3 = await audit.list({ actorUserId: 2, limit: 2, cursor: page2.nextCursor! });
    expect(page3).toEqual({ items: [expect.objectContaining({ target: { type: 'tag', id: '0' } })], nextCursor: null });
    expect((await audit.list({ actionPrefix: 'tag', targetId: '3' })).items).toHaveLength(1);
    expect((await audit.list({ actionPrefix: 'ta_' })).items).toHaveLength(0);
    expect((await audit.list({ from: new Date(Date.now() + 60_000) })).items).toHaveLength(0);
    await expect(audit.list({ cursor: 'x' })).rejects.toMatchObject({ code: 'audit.invalid_cursor' });
  });
});
