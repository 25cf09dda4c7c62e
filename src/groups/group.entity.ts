import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('groups')
export class Group {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** New users join default groups automatically (Piwigo's "default group"). */
  @Column({ type: 'boolean' })
  isDefault!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity('group_members')
export class GroupMember {
  @PrimaryColumn({ type: 'integer' })
  groupId!: number;

  @PrimaryColumn({ type: 'integer' })
  userId!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  addedAt!: Date;
}
