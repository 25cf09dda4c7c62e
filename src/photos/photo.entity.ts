import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PrivacyLevel } from '../users/user.entity.js';

/** `lounge`: uploaded through ws.php and waiting for `pwg.images.uploadCompleted`, as in Piwigo. */
export type PhotoStatus = 'ready' | 'lounge';

@Entity('photos')
export class Photo {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'text', nullable: true })
  title!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** The client's file name, for display only; never used as a path. */
  @Column({ type: 'text' })
  originalName!: string;

  /** Where the storage strategy keeps the original. */
  @Column({ type: 'text', nullable: true })
  storageKey!: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256!: string | null;

  @Column({ type: 'char', length: 32, nullable: true })
  md5!: string | null;

  @Column({ type: 'text', nullable: true })
  mimeType!: string | null;

  @Column({ type: 'bigint', nullable: true })
  fileSize!: number | null;

  @Column({ type: 'integer', nullable: true })
  width!: number | null;

  @Column({ type: 'integer', nullable: true })
  height!: number | null;

  @Column({ type: 'smallint', nullable: true })
  orientation!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  takenAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  takenAtOffset!: string | null;

  @Column({ type: 'text', nullable: true })
  author!: string | null;

  @Column({ type: 'text', nullable: true })
  copyright!: string | null;

  @Column({ type: 'smallint', nullable: true })
  rating!: number | null;

  @Column({ type: 'smallint' })
  privacyLevel!: PrivacyLevel;

  @Column({ type: 'double precision', nullable: true })
  latitude!: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude!: number | null;

  @Column({ type: 'text', nullable: true })
  cameraMake!: string | null;

  @Column({ type: 'text', nullable: true })
  cameraModel!: string | null;

  @Column({ type: 'text', nullable: true })
  lens!: string | null;

  @Column({ type: 'integer', nullable: true })
  iso!: number | null;

  @Column({ type: 'double precision', nullable: true })
  exposureTime!: number | null;

  @Column({ type: 'double precision', nullable: true })
  fNumber!: number | null;

  @Column({ type: 'double precision', nullable: true })
  focalLength!: number | null;

  /** Extracted metadata that nothing filters on (EXIF/IPTC/XMP leftovers), sanitised. */
  @Column({ type: 'jsonb' })
  metadata!: Record<string, unknown>;

  /** Plugin metadata fields, namespaced: `{ "<plugin>": { ... } }`. */
  @Column({ type: 'jsonb' })
  pluginData!: Record<string, Record<string, unknown>>;

  @Column({ type: 'text', nullable: true })
  blurPlaceholder!: string | null;

  @Column({ type: 'text' })
  status!: PhotoStatus;

  /**
   * When `vitrine doctor --repair` found the original file gone (null: present). Flagged photos
   * are hidden from everyone but administrators (`AccessScope`); the next repair clears the flag
   * once the file is back; `--purge-missing` deletes them.
   */
  @Column({ type: 'timestamptz', nullable: true })
  missingSince!: Date | null;

  @Column({ type: 'integer', nullable: true })
  storageAlbumId!: number | null;

  @Column({ type: 'integer', nullable: true })
  addedBy!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
