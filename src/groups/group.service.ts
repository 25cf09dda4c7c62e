import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Errors } from '../common/errors.js';
import { User } from '../users/user.entity.js';
import { Group } from './group.entity.js';
import { bumpAccessEpoch } from '../access/access-epoch.js';

export interface GroupInput {
  name?: string;
  description?: string | null;
  isDefault?: boolean;
}

/** Groups of users and their memberships. Grants to groups live in the access module. */
@Injectable()
export class GroupService {
  constructor(private readonly dataSource: DataSource) {}

  async get(id: number): Promise<Group> {
    const group = await this.dataSource.manager.findOneBy(Group, { id });
    if (!group) throw Errors.notFound('group', id);
    return group;
  }

  list(): Promise<Group[]> {
    return this.dataSource.manager.find(Group, { order: { name: 'ASC' } });
  }

  create(input: GroupInput & { name: string }): Promise<Group> {
    return this.dataSource.transaction(async (em) => {
      const name = checkName(input.name);
      await this.assertNameFree(em, name);
      const saved = await em.save(em.create(Group, { name, description: input.description ?? null, isDefault: input.isDefault ?? false }));
      return saved;
    });
  }

  update(id: number, input: GroupInput): Promise<Group> {
    return this.dataSource.transaction(async (em) => {
      if (!(await em.findOneBy(Group, { id }))) throw Errors.notFound('group', id);
      const changes: Partial<Group> = {};
      if (input.name !== undefined) {
        changes.name = checkName(input.name);
        await this.assertNameFree(em, changes.name, id);
      }
      if (input.description !== undefined) changes.description = input.description;
      if (input.isDefault !== undefined) changes.isDefault = input.isDefault;
      if (Object.keys(changes).length) await em.update(Group, { id }, changes);
      return (await em.findOneBy(Group, { id }))!;
    });
  }

  delete(id: number): Promise<void> {
    return this.dataSource.transaction(async (em) => {
      if (!(await em.findOneBy(Group, { id }))) throw Errors.notFound('group', id);
      await em.delete(Group, { id });
      await bumpAccessEpoch(em);
    });
  }

  /** Adds users to the group; users already in it are left as they are. */
  async addMembers(groupId: number, userIds: number[]): Promise<void> {
    await this.get(groupId);
    const ids = [...new Set(userIds)];
    const found: { id: number }[] = await this.dataSource.query(`SELECT id FROM users WHERE id = ANY($1::int[])`, [ids]);
    const missing = ids.filter((x) => !found.some((f) => f.id === x));
    if (missing.length) throw Errors.notFound('user', missing.join(', '));
    await this.dataSource.transaction(async (em) => {
      await em.query(`INSERT INTO group_members (group_id, user_id) SELECT $1::int, u FROM unnest($2::int[]) AS u ON CONFLICT DO NOTHING`, [groupId, ids]);
      await bumpAccessEpoch(em);
    });
  }

  async removeMembers(groupId: number, userIds: number[]): Promise<void> {
    await this.get(groupId);
    await this.dataSource.transaction(async (em) => {
      await em.query(`DELETE FROM group_members WHERE group_id = $1 AND user_id = ANY($2::int[])`, [groupId, userIds]);
      await bumpAccessEpoch(em);
    });
  }

  async members(groupId: number): Promise<User[]> {
    await this.get(groupId);
    return this.dataSource.manager
      .createQueryBuilder(User, 'u')
      .innerJoin('group_members', 'm', 'm.user_id = u.id AND m.group_id = :groupId', { groupId })
      .orderBy('u.username')
      .getMany();
  }

  async groupsOf(userId: number): Promise<Group[]> {
    return this.dataSource.manager
      .createQueryBuilder(Group, 'g')
      .innerJoin('group_members', 'm', 'm.group_id = g.id AND m.user_id = :userId', { userId })
      .orderBy('g.name')
      .getMany();
  }

  private async assertNameFree(em: EntityManager, name: string, exceptId = 0): Promise<void> {
    const taken = await em.query(`SELECT 1 FROM groups WHERE lower(name) = lower($1) AND id <> $2`, [name, exceptId]);
    if (taken.length) throw Errors.conflict('group.name_taken', `A group named "${name}" already exists.`);
  }
}

function checkName(raw: string): string {
  const name = (raw ?? '').trim();
  if (!name || name.length > 100) {
    throw Errors.invalid('group.invalid_name', 'Group names are 1 to 100 characters.', [{ path: 'name', message: '1–100 characters' }]);
  }
  return name;
}
