import { AbilityBuilder, createMongoAbility, type ForcedSubject, type MongoAbility } from '@casl/ability';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isAdmin, type Principal } from './principal.js';

/** What can be done. `manage` means every action. */
export const ACTIONS = ['manage', 'read', 'create', 'update', 'delete', 'upload', 'download', 'grant'] as const;
export type Action = (typeof ACTIONS)[number];

/** On what. Plugins extend the catalogue through their `permissions` contribution. */
export const SUBJECTS = ['all', 'Album', 'Photo', 'Tag', 'User', 'Group', 'ShareLink', 'ApiKey', 'AuditLog', 'Settings', 'Theme', 'Plugin', 'Job'] as const;
export type SubjectName = (typeof SUBJECTS)[number];

/** Objects checked with conditions carry their subject name (`subject('Album', { id })`). */
type Tagged<T extends SubjectName> = T | (ForcedSubject<T> & { id?: number; addedBy?: number | null; userId?: number });
type AppSubject = { [K in SubjectName]: Tagged<K> }[SubjectName];
export type AppAbility = MongoAbility<[Action, AppSubject]>;

const WRITE_ACTIONS: Action[] = ['create', 'update', 'delete', 'upload', 'grant'];

/**
 * Builds each request's abilities from the principal's role, its grants and, for API keys, the
 * key's scopes (a key never has more rights than its owner, and a `read` key none that write).
 * CASL decides actions on objects; what a principal may *see* in lists is the SQL visibility
 * filter's job (CASL cannot express "an ancestor grants access").
 */
/** Injection token (optional): permissions plugins add to the catalogue, with the roles granted them. */
export const EXTRA_PERMISSIONS = Symbol('EXTRA_PERMISSIONS');

/** A permission outside the core catalogue (a plugin's), e.g. `moderate` on `FilmRoll`. */
export interface ExtraPermission {
  action: string;
  subject: string;
  /** Roles that have it; administrators have every permission anyway (`manage all`). */
  roles: readonly string[];
}

@Injectable()
export class AbilityFactory {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(EXTRA_PERMISSIONS) private readonly extra: readonly ExtraPermission[] = [],
  ) {}

  async forPrincipal(principal: Principal): Promise<AppAbility> {
    const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
    can('read', 'Album');
    can('read', 'Photo');
    can('read', 'Tag');
    if (principal.kind === 'share') {
      if (principal.allowDownload) can('download', 'Photo');
    } else if (principal.kind === 'user') {
      const self = principal.userId;
      can('read', 'User', { id: self });
      can('update', 'User', { id: self });
      can('manage', 'ApiKey', { userId: self });
      can('download', 'Photo');
      if (isAdmin(principal)) {
        can('manage', 'all');
      } else if (principal.role === 'editor') {
        for (const s of ['Album', 'Photo', 'Tag', 'ShareLink'] as const) can('manage', s);
        can('read', 'User');
        can('read', 'Group');
      } else if (principal.role === 'contributor') {
        const granted = await this.grantedAlbumIds(self);
        can('upload', 'Album', { id: { $in: granted } });
        can('create', 'Photo');
        can('update', 'Photo', { addedBy: self });
        can('delete', 'Photo', { addedBy: self });
      }
      for (const p of this.extra) if (p.roles.includes(principal.role)) can(p.action as Action, p.subject as SubjectName);
      if (principal.apiKey && !principal.apiKey.scopes.includes('write')) {
        for (const action of WRITE_ACTIONS) cannot(action, 'all');
        // Plugin actions may write too: a read-scope key keeps only plugin `read` actions.
        for (const p of this.extra) if (p.action !== 'read') cannot(p.action as Action, p.subject as SubjectName);
      }
    }
    return build();
  }

  /** Albums granted to the user directly or through a group. */
  private async grantedAlbumIds(userId: number): Promise<number[]> {
    const rows: { album_id: number }[] = await this.dataSource.query(
      `SELECT album_id FROM album_user_grants WHERE user_id = $1
       UNION SELECT g.album_id FROM album_group_grants g JOIN group_members m ON m.group_id = g.group_id WHERE m.user_id = $1`,
      [userId],
    );
    return rows.map((r) => r.album_id);
  }
}
