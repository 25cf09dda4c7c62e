import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Roles, most powerful first. Piwigo's statuses map onto them (webmaster, admin, normal → member, guest). */
export const ROLES = ['webmaster', 'admin', 'editor', 'contributor', 'member', 'guest'] as const;
export type Role = (typeof ROLES)[number];

/** Piwigo's privacy levels: 0 everybody, 1 contacts, 2 friends, 4 family, 8 admins. */
export const PRIVACY_LEVELS = [0, 1, 2, 4, 8] as const;
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];

export type UserStatus = 'active' | 'disabled';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'text' })
  username!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  displayName!: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ type: 'smallint' })
  privacyLevel!: PrivacyLevel;

  @Column({ type: 'text' })
  status!: UserStatus;

  @Column({ type: 'text', nullable: true })
  locale!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
