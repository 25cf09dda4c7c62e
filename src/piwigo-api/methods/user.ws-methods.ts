import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { GroupService } from '../../groups/group.service.js';
import { defineWsMethod, PwgNamedArray, PwgNamedStruct, requirePwgToken, WsError, type WsContext, type WsMethodDefinition, type WsValue } from '../../piwigo/index.js';
import { PRIVACY_LEVELS, type PrivacyLevel, type Role } from '../../users/user.entity.js';
import type { UserService } from '../../users/user.service.js';
import { wsPrincipal } from '../ws-context.factory.js';
import { mysqlDatetime } from '../ws-format.js';

/** Piwigo statuses → Vitrine roles (for filters). `normal` covers editor, contributor and member. */
const ROLES_OF_STATUS: Record<string, Role[]> = {
  webmaster: ['webmaster'],
  admin: ['admin'],
  normal: ['editor', 'contributor', 'member'],
  generic: [],
  guest: ['guest'],
};
const STATUS_SQL = `CASE u.role WHEN 'webmaster' THEN 'webmaster' WHEN 'admin' THEN 'admin' WHEN 'guest' THEN 'guest' ELSE 'normal' END`;
const ORDER_COLUMNS: Record<string, string> = { id: 'u.id', username: 'u.username', email: 'u.email', status: STATUS_SQL, level: 'u.privacy_level', registration_date: 'u.created_at' };

interface UserListRow {
  id: number;
  username: string;
  email: string | null;
  status: string;
  level: number;
  locale: string | null;
  created_at: Date | string;
}

export interface UserListParams {
  user_id?: readonly unknown[];
  username?: unknown;
  status?: readonly unknown[];
  min_level?: unknown;
  group_id?: readonly unknown[];
  per_page?: unknown;
  page?: unknown;
  order?: unknown;
  exclude?: readonly unknown[];
  display?: unknown;
}

/** `pwg.users.getList` (Piwigo's shapes: `id` a number, `level` a string, `groups` ints or `""`). */
export async function listWsUsers(dataSource: DataSource, params: UserListParams): Promise<WsValue | WsError> {
  const ids = (params.user_id ?? []).filter((v): v is number => typeof v === 'number');
  const where: string[] = ['TRUE'];
  const values: unknown[] = [];
  const add = (v: unknown) => (values.push(v), `$${values.length}`);
  if (ids.length) where.push(`u.id = ANY(${add(ids)}::int[])`);
  const excluded = (params.exclude ?? []).filter((v): v is number => typeof v === 'number');
  if (excluded.length) where.push(`NOT (u.id = ANY(${add(excluded)}::int[]))`);
  if (typeof params.username === 'string' && params.username !== '') where.push(`u.username ILIKE ${add(params.username)}`);
  const statuses = (params.status ?? []).filter((v): v is string => typeof v === 'string' && v in ROLES_OF_STATUS);
  if (statuses.length) where.push(`u.role = ANY(${add(statuses.flatMap((s) => ROLES_OF_STATUS[s]!))}::text[])`);
  if (typeof params.min_level === 'number' && params.min_level > 0) {
    if (!(PRIVACY_LEVELS as readonly number[]).includes(params.min_level)) return new WsError(1003, 'Invalid level');
    where.push(`u.privacy_level >= ${add(params.min_level)}`);
  }
  const groups = (params.group_id ?? []).filter((v): v is number => typeof v === 'number');
  if (groups.length) where.push(`EXISTS (SELECT 1 FROM group_members gm WHERE gm.user_id = u.id AND gm.group_id = ANY(${add(groups)}::int[]))`);
  const order = String(params.order ?? 'id');
  const m = /^\s*([a-z_]+)(?:\s+(asc|desc))?\s*$/i.exec(order);
  const column = m ? ORDER_COLUMNS[m[1]!.toLowerCase()] : undefined;
  if (!column) return new WsError(1003, 'Invalid input parameter order');
  const perPage = typeof params.per_page === 'number' ? params.per_page : 100;
  const page = typeof params.page === 'number' ? params.page : 0;
  const rows: UserListRow[] = await dataSource.query(
    `SELECT u.id, u.username, u.email, ${STATUS_SQL} AS status, u.privacy_level AS level, u.locale, u.created_at FROM users u
     WHERE ${where.join(' AND ')} ORDER BY ${column} ${m![2]?.toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}, u.id
     LIMIT ${add(perPage)} OFFSET ${add(perPage * page)}`,
    values,
  );
  const display = String(params.display ?? 'basics').split(',').map((s) => s.trim());
  const none = display.includes('none');
  const all = display.includes('all');
  const has = (field: string) => !none && (all || display.includes(field) || (display.includes('basics') && ['username', 'email', 'status', 'level', 'groups'].includes(field)));
  const memberships: { user_id: number; group_id: number }[] =
    rows.length && has('groups') ? await dataSource.query(`SELECT user_id, group_id FROM group_members WHERE user_id = ANY($1::int[]) ORDER BY group_id`, [rows.map((r) => r.id)]) : [];
  const users = rows.map((r) => {
    const user: Record<string, WsValue> = { id: r.id };
    if (has('username')) user['username'] = r.username;
    if (has('email')) user['email'] = r.email;
    if (has('status')) user['status'] = r.status;
    if (has('level')) user['level'] = String(r.level);
    if (has('language')) user['language'] = r.locale?.replace('-', '_') ?? 'en_GB';
    if (has('registration_date')) user['registration_date'] = mysqlDatetime(r.created_at);
    if (has('groups')) {
      const own = memberships.filter((g) => g.user_id === r.id).map((g) => g.group_id);
      user['groups'] = own.length ? own : ''; // Piwigo selects `"" AS groups` and fills it only when there are some
    }
    return user;
  });
  return {
    paging: new PwgNamedStruct({ page, per_page: perPage, count: users.length }),
    users: new PwgNamedArray(users, 'user'),
  };
}

const listParams = {
  user_id: { type: 'id', array: 'force', default: null },
  username: { default: null },
  status: { array: 'force', default: null },
  min_level: { type: 'int_positive', default: 0, maxValue: 8 },
  group_id: { type: 'id', array: 'force', default: null },
  per_page: { type: 'int_positive', default: 100, maxValue: 1000 },
  page: { type: 'int_positive', default: 0 },
  order: { default: 'id' },
  exclude: { type: 'id', array: 'force', default: null },
  display: { default: 'basics' },
} as const;

/** Piwigo status → the role to give; `normal` keeps an editor or contributor as it is. */
function roleFor(status: string, current: Role): Role {
  if (status === 'webmaster' || status === 'admin') return status;
  if (status === 'guest' || status === 'generic') return 'guest';
  return current === 'editor' || current === 'contributor' || current === 'member' ? current : 'member';
}

/** `pwg.users.getList|add|setInfo|delete` over {@link UserService} and {@link GroupService} (administrators only). */
export function userWsMethods(dataSource: DataSource, users: UserService, groups: GroupService): WsMethodDefinition[] {
  const getList = defineWsMethod({
    name: 'pwg.users.getList',
    description: 'Retrieves a list of all the users.',
    adminOnly: true,
    params: listParams,
    handler: (params) => listWsUsers(dataSource, params),
  });

  const add = defineWsMethod({
    name: 'pwg.users.add',
    description: 'Registers a new user.',
    adminOnly: true,
    postOnly: true,
    params: {
      username: {},
      auto_password: { type: 'bool', default: false },
      password: { default: null },
      password_confirm: { default: null },
      email: { default: null },
      send_password_by_mail: { type: 'bool', default: false },
      pwg_token: {},
    },
    async handler(params, ctx) {
      requirePwgToken(params, ctx);
      if (params.password_confirm !== null && params.password !== params.password_confirm) return new WsError(1003, 'The passwords do not match');
      const password = params.auto_password === true ? randomBytes(12).toString('base64url') : typeof params.password === 'string' && params.password !== '' ? params.password : undefined;
      const user = await users.create({ username: params.username, password, email: typeof params.email === 'string' && params.email !== '' ? params.email : null, role: 'member' });
      return listWsUsers(dataSource, { user_id: [user.id] });
    },
  });

  const setInfo = defineWsMethod({
    name: 'pwg.users.setInfo',
    description: 'Updates a user. Leave a field blank to keep the current value.',
    adminOnly: true,
    postOnly: true,
    params: {
      user_id: { type: 'id', array: 'force' },
      username: { default: null },
      password: { default: null },
      email: { default: null },
      status: { default: null, info: 'guest, generic, normal, admin, webmaster' },
      level: { type: 'int_positive', default: null, maxValue: 8 },
      language: { default: null },
      theme: { default: null },
      group_id: { type: 'int', array: 'force', default: null },
      nb_image_page: { type: 'id', default: null },
      pwg_token: {},
    },
    async handler(params, ctx) {
      requirePwgToken(params, ctx);
      const ids = params.user_id.filter((v): v is number => typeof v === 'number');
      for (const id of ids) await users.get(id); // 404 for an unknown user
      if (ids.length === 1) {
        const single = ids[0]!;
        const username = typeof params.username === 'string' && params.username !== '' ? params.username : undefined;
        const email = typeof params.email === 'string' && params.email !== '' ? params.email : undefined;
        if (username !== undefined || email !== undefined) await users.update(single, { username, email });
        if (typeof params.password === 'string' && params.password !== '') await users.setPassword(single, params.password);
      }
      const refusal = await applyStatusAndLevel(users, ctx, ids, params.status, params.level);
      if (refusal) return refusal;
      if (typeof params.language === 'string' && params.language !== '') {
        for (const id of ids) await users.update(id, { locale: params.language.replace('_', '-') });
      }
      const groupIds = params.group_id.filter((v): v is number => typeof v === 'number');
      if (groupIds.length) {
        const existing: { id: number }[] = await dataSource.query(`SELECT id FROM groups WHERE id = ANY($1::int[])`, [groupIds]);
        for (const id of ids) {
          const current = (await groups.groupsOf(id)).map((g) => g.id);
          for (const g of current) await groups.removeMembers(g, [id]);
        }
        for (const g of existing) await groups.addMembers(g.id, ids);
      }
      return listWsUsers(dataSource, { user_id: ids });
    },
  });

  const del = defineWsMethod({
    name: 'pwg.users.delete',
    description: 'Deletes users.',
    adminOnly: true,
    postOnly: true,
    params: { user_id: { type: 'id', array: 'force' }, pwg_token: {} },
    async handler(params, ctx) {
      requirePwgToken(params, ctx);
      const me = wsPrincipal(ctx);
      const ids = [...new Set(params.user_id.filter((v): v is number => typeof v === 'number'))].filter((id) => me.kind !== 'user' || id !== me.userId);
      for (const id of ids) await users.delete(id);
      return `${ids.length} ${ids.length > 1 ? 'users' : 'user'} deleted`;
    },
  });

  return [getList, add, setInfo, del];
}

async function applyStatusAndLevel(users: UserService, ctx: WsContext, ids: number[], status: unknown, level: unknown): Promise<WsError | undefined> {
  const me = wsPrincipal(ctx);
  if (typeof status === 'string' && status !== '') {
    if (status === 'webmaster' && !(me.kind === 'user' && me.role === 'webmaster')) return new WsError(403, 'Only webmasters can grant "webmaster" status');
    if (!(status in ROLES_OF_STATUS)) return new WsError(1003, 'Invalid status');
    for (const id of ids) {
      if (me.kind === 'user' && id === me.userId) continue; // Piwigo never changes the caller's own status
      const user = await users.get(id);
      await users.update(id, { role: roleFor(status, user.role) });
    }
  }
  if (typeof level === 'number') {
    if (!(PRIVACY_LEVELS as readonly number[]).includes(level)) return new WsError(1003, 'Invalid level');
    for (const id of ids) await users.update(id, { privacyLevel: level as PrivacyLevel });
  }
  return undefined;
}
