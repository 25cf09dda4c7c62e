import type { DataSource } from 'typeorm';
import type { GrantService } from '../../access/grant.service.js';
import { VitrineError } from '../../common/errors.js';
import type { GroupService } from '../../groups/group.service.js';
import { defineWsMethod, PwgNamedArray, PwgNamedStruct, requirePwgToken, WsError, type WsMethodDefinition, type WsValue } from '../../piwigo/index.js';
import { mysqlDatetime } from '../ws-format.js';
import { stripTags } from './category-write.ws-methods.js';

const GROUP_ORDERS: Record<string, string> = { id: 'g.id', name: 'lower(g.name)', is_default: 'g.is_default', lastmodified: 'g.updated_at', nb_users: 'nb_users' };
const NO_GROUP = 'This group does not exist.';
const NAME_TAKEN = 'This name is already used by another group.';

const ids = (list: readonly unknown[] | null | undefined) => [...new Set((list ?? []).filter((v): v is number => typeof v === 'number'))];

/** `pwg.groups.getList`: rows as MySQL gives them (every value a string). */
async function listGroups(dataSource: DataSource, params: { group_id?: readonly unknown[]; name?: unknown; per_page?: unknown; page?: unknown; order?: unknown }): Promise<WsValue | WsError> {
  const values: unknown[] = [];
  const add = (v: unknown) => (values.push(v), `$${values.length}`);
  const where = ['TRUE'];
  const groupIds = ids(params.group_id);
  if (groupIds.length) where.push(`g.id = ANY(${add(groupIds)}::int[])`);
  if (typeof params.name === 'string' && params.name !== '') where.push(`lower(g.name) LIKE lower(${add(params.name)})`);
  const m = /^\s*([a-z_]+)(?:\s+(asc|desc))?\s*$/i.exec(String(params.order ?? 'name'));
  const column = m ? GROUP_ORDERS[m[1]!.toLowerCase()] : undefined;
  if (!column) return new WsError(1003, 'Invalid input parameter order');
  const perPage = typeof params.per_page === 'number' ? params.per_page : 100;
  const page = typeof params.page === 'number' ? params.page : 0;
  const rows: { id: number; name: string; is_default: boolean; lastmodified: Date | string | null; nb_users: string | number }[] = await dataSource.query(
    `SELECT g.id, g.name, g.is_default, g.updated_at AS lastmodified, count(m.user_id) AS nb_users
     FROM groups g LEFT JOIN group_members m ON m.group_id = g.id WHERE ${where.join(' AND ')}
     GROUP BY g.id ORDER BY ${column} ${m![2]?.toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}, g.id LIMIT ${add(perPage)} OFFSET ${add(perPage * page)}`,
    values,
  );
  const groups = rows.map((r) => ({ id: String(r.id), name: r.name, is_default: r.is_default ? 'true' : 'false', lastmodified: mysqlDatetime(r.lastmodified), nb_users: String(r.nb_users) }));
  return { paging: new PwgNamedStruct({ page, per_page: perPage, count: groups.length }), groups: new PwgNamedArray(groups, 'group') };
}

/** Runs `work`, answering Piwigo's "does not exist" (1003) for a missing group. */
async function onGroup<T>(work: () => Promise<T>): Promise<T | WsError> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VitrineError && error.kind === 'not_found' && error.code.startsWith('group')) return new WsError(1003, NO_GROUP);
    throw error;
  }
}

/** `pwg.groups.getList|add|addUser|deleteUser|delete` over {@link GroupService} (administrators only). */
export function groupWsMethods(dataSource: DataSource, groups: GroupService): WsMethodDefinition[] {
  const getList = defineWsMethod({
    name: 'pwg.groups.getList',
    description: 'Retrieves a list of all groups. The list can be filtered.',
    adminOnly: true,
    params: {
      group_id: { type: 'id', array: 'force', default: null },
      name: { default: null, info: 'Use "%" as wildcard.' },
      per_page: { type: 'int_positive', default: 100, maxValue: 1000 },
      page: { type: 'int_positive', default: 0 },
      order: { default: 'name' },
    },
    handler: (params) => listGroups(dataSource, params),
  });

  const add = defineWsMethod({
    name: 'pwg.groups.add',
    description: 'Creates a group and returns the new group record.',
    adminOnly: true,
    postOnly: true,
    params: { name: {}, is_default: { type: 'bool', default: false } },
    async handler({ name, is_default }) {
      const clean = stripTags(name);
      if (clean.replaceAll(' ', '') === '') return new WsError(1003, 'Name field must not be empty');
      try {
        const group = await groups.create({ name: clean, isDefault: is_default === true });
        return listGroups(dataSource, { group_id: [group.id] });
      } catch (error) {
        if (error instanceof VitrineError && error.kind === 'conflict') return new WsError(1003, NAME_TAKEN);
        throw error;
      }
    },
  });

  const members = (name: string, description: string, change: (groupId: number, userIds: number[]) => Promise<void>) =>
    defineWsMethod({
      name,
      description,
      adminOnly: true,
      postOnly: true,
      params: { group_id: { type: 'id' }, user_id: { type: 'id', array: 'force' }, pwg_token: {} },
      async handler(params, ctx) {
        requirePwgToken(params, ctx);
        const done = await onGroup(() => change(params.group_id, ids(params.user_id)));
        return done instanceof WsError ? done : listGroups(dataSource, { group_id: [params.group_id] });
      },
    });

  const del = defineWsMethod({
    name: 'pwg.groups.delete',
    description: 'Deletes a or more groups. Users and photos are not deleted.',
    adminOnly: true,
    postOnly: true,
    params: { group_id: { type: 'id', array: 'force' }, pwg_token: {} },
    async handler(params, ctx) {
      requirePwgToken(params, ctx);
      const names: string[] = [];
      for (const id of ids(params.group_id)) {
        const group = await groups.get(id).catch(() => null);
        if (!group) continue;
        await groups.delete(id);
        names.push(group.name);
      }
      return new PwgNamedArray(names, 'group_deleted');
    },
  });

  return [
    getList,
    add,
    members('pwg.groups.addUser', 'Adds one or more users to a group.', (g, u) => groups.addMembers(g, u)),
    members('pwg.groups.deleteUser', 'Removes one or more users from a group.', (g, u) => groups.removeMembers(g, u)),
    del,
  ];
}

/** `pwg.permissions.getList`: per album, direct users, users through groups, groups (ints). */
async function listPermissions(dataSource: DataSource, catIds: number[], groupIds: number[], userIds: number[]): Promise<WsValue | WsError> {
  const filter = catIds.length ? 'WHERE album_id = ANY($1::int[])' : 'WHERE $1::int[] IS NOT NULL';
  const direct: { album_id: number; user_id: number }[] = await dataSource.query(`SELECT album_id, user_id FROM album_user_grants ${filter} ORDER BY album_id, user_id`, [catIds]);
  const indirect: { album_id: number; user_id: number }[] = await dataSource.query(
    `SELECT g.album_id, m.user_id FROM album_group_grants g JOIN group_members m ON m.group_id = g.group_id ${filter.replace('album_id', 'g.album_id')} ORDER BY g.album_id, m.user_id`,
    [catIds],
  );
  const viaGroups: { album_id: number; group_id: number }[] = await dataSource.query(`SELECT album_id, group_id FROM album_group_grants ${filter} ORDER BY album_id, group_id`, [catIds]);
  const perms = new Map<number, Record<string, WsValue> & { users?: number[]; users_indirect?: number[]; groups?: number[] }>();
  const entry = (id: number) => perms.get(id) ?? (perms.set(id, { id }), perms.get(id)!);
  for (const r of direct) (entry(r.album_id).users ??= []).push(r.user_id);
  for (const r of indirect) (entry(r.album_id).users_indirect ??= []).push(r.user_id);
  for (const r of viaGroups) (entry(r.album_id).groups ??= []).push(r.group_id);
  const out: Array<Record<string, WsValue>> = [];
  for (const cat of perms.values()) {
    if (groupIds.length && !(cat.groups ?? []).some((g) => groupIds.includes(g))) continue;
    if (userIds.length && ![...(cat.users ?? []), ...(cat.users_indirect ?? [])].some((u) => userIds.includes(u))) continue;
    cat['groups'] = [...new Set(cat.groups ?? [])];
    cat['users'] = [...new Set(cat.users ?? [])];
    cat['users_indirect'] = [...new Set(cat.users_indirect ?? [])];
    out.push(cat);
  }
  return { categories: new PwgNamedArray(out, 'category', ['id']) };
}

/** `pwg.permissions.getList|add|remove` over {@link GrantService} (administrators only). */
export function permissionWsMethods(dataSource: DataSource, grants: GrantService): WsMethodDefinition[] {
  const getList = defineWsMethod({
    name: 'pwg.permissions.getList',
    description: 'Returns permissions: user ids and group ids having access to each album.',
    adminOnly: true,
    params: { cat_id: { type: 'id', array: 'force', optional: true }, group_id: { type: 'id', array: 'force', optional: true }, user_id: { type: 'id', array: 'force', optional: true } },
    async handler(params) {
      const given = ['cat_id', 'group_id', 'user_id'].filter((k) => params[k] !== undefined);
      if (given.length > 1) return new WsError(1003, 'Too many parameters, provide cat_id OR user_id OR group_id');
      return listPermissions(dataSource, ids(params.cat_id), ids(params.group_id), ids(params.user_id));
    },
  });

  const change = (name: string, description: string, adding: boolean) =>
    defineWsMethod({
      name,
      description,
      adminOnly: true,
      postOnly: true,
      params: {
        cat_id: { type: 'id', array: 'force' },
        group_id: { type: 'id', array: 'force', default: null },
        user_id: { type: 'id', array: 'force', default: null },
        ...(adding ? { recursive: { type: 'bool', default: false } } : {}),
        pwg_token: {},
      },
      async handler(params, ctx) {
        requirePwgToken(params, ctx);
        const catIds = ids(params.cat_id);
        const who = { userIds: ids(params.user_id), groupIds: ids(params.group_id) };
        // Piwigo: adding opens the private parents too (else the album stays unreachable) and, with
        // `recursive`, the private sub-albums; removing closes the sub-albums as well.
        const targets: { id: number }[] = adding
          ? await dataSource.query(
              `SELECT DISTINCT a.id FROM album_closure c JOIN albums a ON a.id = c.ancestor_id WHERE c.descendant_id = ANY($1::int[]) AND a.status = 'private'
               UNION SELECT a.id FROM album_closure c JOIN albums a ON a.id = c.descendant_id WHERE $2::boolean AND c.ancestor_id = ANY($1::int[]) AND a.status = 'private'
               ORDER BY 1`,
              [catIds, params['recursive'] === true],
            )
          : await dataSource.query(`SELECT DISTINCT c.descendant_id AS id FROM album_closure c WHERE c.ancestor_id = ANY($1::int[]) ORDER BY 1`, [catIds]);
        for (const { id } of targets) {
          if (adding) await grants.grant(id, who);
          else await grants.revoke(id, who);
        }
        return listPermissions(dataSource, catIds, [], []);
      },
    });

  return [
    getList,
    change('pwg.permissions.add', 'Adds permissions to an album.', true),
    change('pwg.permissions.remove', 'Removes permissions from an album.', false),
  ];
}
