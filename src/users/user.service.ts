import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { bumpAccessEpoch } from '../access/access-epoch.js';
import { Errors, VitrineError } from '../common/errors.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PasswordHasher } from './password.hasher.js';
import { PRIVACY_LEVELS, ROLES, type PrivacyLevel, type Role, User } from './user.entity.js';

export interface CreateUserInput {
  username: string;
  email?: string | null;
  displayName?: string | null;
  /** Absent: the account cannot log in with a password until one is set. */
  password?: string;
  role?: Role;
  privacyLevel?: PrivacyLevel;
}

export interface UpdateUserInput {
  username?: string;
  email?: string | null;
  displayName?: string | null;
  role?: Role;
  privacyLevel?: PrivacyLevel;
  locale?: string | null;
}

const USERNAME = /^[\p{L}\p{N}._@+-]{1,100}$/u;
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,190}\.[^\s@<>"]{2,}$/;

/**
 * Accounts: creation, profile changes, role and privacy level, passwords, disabling and deletion.
 * Guards the invariant that at least one active webmaster always exists.
 */
@Injectable()
export class UserService {
  constructor(private readonly dataSource: DataSource) {}

  async get(id: number, em: EntityManager = this.dataSource.manager): Promise<User> {
    const user = await em.findOneBy(User, { id });
    if (!user) throw Errors.notFound('user', id);
    return user;
  }

  findByUsername(username: string): Promise<User | null> {
    return this.dataSource.manager
      .createQueryBuilder(User, 'u')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
  }

  /** The user with the password hash loaded (for authentication). */
  findWithPasswordHash(login: string): Promise<User | null> {
    return this.dataSource.manager
      .createQueryBuilder(User, 'u')
      .addSelect('u.passwordHash')
      .where('lower(u.username) = lower(:login) OR lower(u.email) = lower(:login)', { login })
      .getOne();
  }

  list(options: { limit?: number; offset?: number } = {}): Promise<User[]> {
    return this.dataSource.manager.find(User, { order: { id: 'ASC' }, take: Math.min(options.limit ?? 100, 1000), skip: options.offset ?? 0 });
  }

  count(): Promise<number> {
    return this.dataSource.manager.count(User);
  }

  async create(input: CreateUserInput, em?: EntityManager): Promise<User> {
    const work = async (manager: EntityManager) => {
      const username = checkUsername(input.username);
      const email = checkEmail(input.email);
      await this.assertFree(manager, username, email);
      const role = checkRole(input.role ?? 'member');
      const user = manager.create(User, {
        username,
        email,
        displayName: input.displayName?.trim() || null,
        passwordHash: input.password === undefined ? null : await PasswordHasher.hash(checkPassword(input.password)),
        role,
        privacyLevel: checkPrivacyLevel(input.privacyLevel ?? (role === 'webmaster' || role === 'admin' ? 8 : 0)),
        status: 'active',
        passwordChangedAt: input.password === undefined ? null : new Date(),
      });
      const saved = await manager.save(user);
      await manager.query(`INSERT INTO group_members (group_id, user_id) SELECT id, $1 FROM groups WHERE is_default`, [saved.id]);
      await bumpAccessEpoch(manager);
      return this.get(saved.id, manager);
    };
    return em ? work(em) : this.dataSource.transaction(work);
  }

  update(id: number, input: UpdateUserInput): Promise<User> {
    return this.dataSource.transaction(async (em) => {
      const user = await this.lock(em, id);
      const changes: Partial<User> = {};
      if (input.username !== undefined) changes.username = checkUsername(input.username);
      if (input.email !== undefined) changes.email = checkEmail(input.email);
      if (changes.username !== undefined || changes.email !== undefined) await this.assertFree(em, changes.username, changes.email, id);
      if (input.displayName !== undefined) changes.displayName = input.displayName?.trim() || null;
      if (input.locale !== undefined) changes.locale = input.locale;
      if (input.privacyLevel !== undefined) changes.privacyLevel = checkPrivacyLevel(input.privacyLevel);
      if (input.role !== undefined) {
        changes.role = checkRole(input.role);
        if (user.role === 'webmaster' && changes.role !== 'webmaster') await this.assertAnotherWebmaster(em, id);
      }
      if (Object.keys(changes).length) await em.update(User, { id }, changes);
      return this.get(id, em);
    });
  }

  /** Sets a new password; existing sessions of the user are ended. */
  setPassword(id: number, password: string): Promise<void> {
    return this.dataSource.transaction(async (em) => {
      await this.lock(em, id);
      const passwordHash = await PasswordHasher.hash(checkPassword(password));
      await em.update(User, { id }, { passwordHash, passwordChangedAt: new Date() });
      await this.endSessions(em, id);
    });
  }

  /** Disables (or re-enables) the account; disabling ends its sessions. */
  setDisabled(id: number, disabled: boolean): Promise<User> {
    return this.dataSource.transaction(async (em) => {
      const user = await this.lock(em, id);
      if (disabled && user.role === 'webmaster') await this.assertAnotherWebmaster(em, id);
      await em.update(User, { id }, { status: disabled ? 'disabled' : 'active' });
      if (disabled) await this.endSessions(em, id);
      return this.get(id, em);
    });
  }

  delete(id: number): Promise<void> {
    return this.dataSource.transaction(async (em) => {
      const user = await this.lock(em, id);
      if (user.role === 'webmaster') await this.assertAnotherWebmaster(em, id);
      await this.endSessions(em, id);
      await em.delete(User, { id });
      await bumpAccessEpoch(em);
    });
  }

  private async lock(em: EntityManager, id: number): Promise<User> {
    const rows = await em.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [id]);
    if (!rows.length) throw Errors.notFound('user', id);
    return this.get(id, em);
  }

  private async endSessions(em: EntityManager, userId: number): Promise<void> {
    await em.query(`DELETE FROM sessions WHERE (sess::jsonb #>> '{passport,user}') = $1`, [String(userId)]);
  }

  private async assertFree(em: EntityManager, username?: string, email?: string | null, exceptId = 0): Promise<void> {
    if (username !== undefined) {
      const taken = await em.query(`SELECT 1 FROM users WHERE lower(username) = lower($1) AND id <> $2`, [username, exceptId]);
      if (taken.length) throw Errors.conflict('user.username_taken', `The user name "${username}" is already taken.`);
    }
    if (email) {
      const taken = await em.query(`SELECT 1 FROM users WHERE lower(email) = lower($1) AND id <> $2`, [email, exceptId]);
      if (taken.length) throw Errors.conflict('user.email_taken', `Another account already uses ${email}.`);
    }
  }

  private async assertAnotherWebmaster(em: EntityManager, exceptId: number): Promise<void> {
    const others = await em.query(`SELECT 1 FROM users WHERE role = 'webmaster' AND status = 'active' AND id <> $1 LIMIT 1`, [exceptId]);
    if (!others.length) {
      throw new VitrineError('conflict', 'user.last_webmaster', 'This is the last active webmaster; promote another account first.');
    }
  }
}

function checkUsername(raw: unknown): string {
  const username = typeof raw === 'string' ? raw.trim() : '';
  if (!USERNAME.test(username)) {
    throw Errors.invalid('user.invalid_username', 'User names are 1 to 100 letters, digits or . _ @ + - characters.', [
      { path: 'username', message: '1–100 letters, digits or . _ @ + -' },
    ]);
  }
  return username;
}

function checkEmail(raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null || raw.trim() === '') return null;
  const email = raw.trim();
  if (email.length > 254 || !EMAIL.test(email)) {
    throw Errors.invalid('user.invalid_email', `"${email.slice(0, 100)}" is not a valid e-mail address.`, [{ path: 'email', message: 'not an e-mail address' }]);
  }
  return email;
}

function checkPassword(password: string): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw Errors.invalid('user.weak_password', `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`, [
      { path: 'password', message: `${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters` },
    ]);
  }
  return password;
}

function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw Errors.invalid('user.invalid_role', `Unknown role "${role}". Roles: ${ROLES.join(', ')}.`, [{ path: 'role', message: ROLES.join(' | ') }]);
  }
  return role as Role;
}

function checkPrivacyLevel(level: number): PrivacyLevel {
  if (!(PRIVACY_LEVELS as readonly number[]).includes(level)) {
    throw Errors.invalid('user.invalid_privacy_level', `Privacy level must be one of ${PRIVACY_LEVELS.join(', ')}.`, [
      { path: 'privacyLevel', message: PRIVACY_LEVELS.join(' | ') },
    ]);
  }
  return level as PrivacyLevel;
}
