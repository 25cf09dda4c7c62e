import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Errors } from '../common/errors.js';
import { bumpAccessEpoch } from './access-epoch.js';

export interface AlbumGrants {
  userIds: number[];
  groupIds: number[];
}

/** Grants of (private) albums to users and groups. Every change bumps the access epoch. */
@Injectable()
export class GrantService {
  constructor(private readonly dataSource: DataSource) {}

  async list(albumId: number): Promise<AlbumGrants> {
    const em = this.dataSource.manager;
    await this.assertAlbum(em, albumId);
    const users: { user_id: number }[] = await em.query(`SELECT user_id FROM album_user_grants WHERE album_id = $1 ORDER BY user_id`, [albumId]);
    const groups: { group_id: number }[] = await em.query(`SELECT group_id FROM album_group_grants WHERE album_id = $1 ORDER BY group_id`, [albumId]);
    return { userIds: users.map((r) => r.user_id), groupIds: groups.map((r) => r.group_id) };
  }

  grant(albumId: number, to: Partial<AlbumGrants>): Promise<AlbumGrants> {
    return this.change(albumId, async (em) => {
      const userIds = unique(to.userIds);
      const groupIds = unique(to.groupIds);
      await this.assertExist(em, 'users', 'user', userIds);
      await this.assertExist(em, 'groups', 'group', groupIds);
      if (userIds.length) {
        await em.query(`INSERT INTO album_user_grants (album_id, user_id) SELECT $1::int, u FROM unnest($2::int[]) u ON CONFLICT DO NOTHING`, [albumId, userIds]);
      }
      if (groupIds.length) {
        await em.query(`INSERT INTO album_group_grants (album_id, group_id) SELECT $1::int, g FROM unnest($2::int[]) g ON CONFLICT DO NOTHING`, [albumId, groupIds]);
      }
    });
  }

  revoke(albumId: number, from: Partial<AlbumGrants>): Promise<AlbumGrants> {
    return this.change(albumId, async (em) => {
      await em.query(`DELETE FROM album_user_grants WHERE album_id = $1 AND user_id = ANY($2::int[])`, [albumId, unique(from.userIds)]);
      await em.query(`DELETE FROM album_group_grants WHERE album_id = $1 AND group_id = ANY($2::int[])`, [albumId, unique(from.groupIds)]);
    });
  }

  private async change(albumId: number, work: (em: EntityManager) => Promise<void>): Promise<AlbumGrants> {
    await this.dataSource.transaction(async (em) => {
      await this.assertAlbum(em, albumId);
      await work(em);
      await bumpAccessEpoch(em);
    });
    return this.list(albumId);
  }

  private async assertAlbum(em: EntityManager, albumId: number): Promise<void> {
    const rows = await em.query(`SELECT 1 FROM albums WHERE id = $1`, [albumId]);
    if (!rows.length) throw Errors.notFound('album', albumId);
  }

  private async assertExist(em: EntityManager, table: 'users' | 'groups', entity: string, ids: number[]): Promise<void> {
    if (!ids.length) return;
    const rows: { id: number }[] = await em.query(`SELECT id FROM ${table} WHERE id = ANY($1::int[])`, [ids]);
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length) throw Errors.notFound(entity, missing.join(', '));
  }
}

function unique(ids: number[] | undefined): number[] {
  return [...new Set(ids ?? [])];
}
