import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type AlbumStatus = 'public' | 'private';

/**
 * A node of the album tree. `parentId` is the source of truth for the shape; `album_closure`
 * mirrors it for single-query ancestor/descendant lookups. Count columns are caches that
 * AlbumService keeps exact inside every write transaction.
 */
@Entity('albums')
export class Album {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'integer', nullable: true })
  parentId!: number | null;

  @Column({ type: 'text' })
  name!: string;

  /** URL segment, unique among siblings. */
  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** Order among siblings, 0-based and dense. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  status!: AlbumStatus;

  /** A hidden album (and everything below it) is shown to administrators only. */
  @Column({ type: 'boolean' })
  visible!: boolean;

  /** 0 for a top-level album. */
  @Column({ type: 'integer' })
  depth!: number;

  @Column({ type: 'integer', nullable: true })
  representativePhotoId!: number | null;

  /** Photos linked directly to this album. */
  @Column({ type: 'integer' })
  photoCount!: number;

  /** Direct sub-albums. */
  @Column({ type: 'integer' })
  childCount!: number;

  /** Albums anywhere below this one. */
  @Column({ type: 'integer' })
  descendantCount!: number;

  /** Distinct photos in this album and every album below it. */
  @Column({ type: 'integer' })
  totalPhotoCount!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** A photo's membership in an album, ordered by `rank` within the album. */
@Entity('album_photos')
export class AlbumPhoto {
  @PrimaryColumn({ type: 'integer' })
  albumId!: number;

  @PrimaryColumn({ type: 'integer' })
  photoId!: number;

  @Column({ type: 'integer' })
  rank!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  addedAt!: Date;
}

/** An album as a tree view shows it: everything but the description and the timestamps. */
export type AlbumTreeNode = Omit<Album, 'description' | 'createdAt' | 'updatedAt'>;
