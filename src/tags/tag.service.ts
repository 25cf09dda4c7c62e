import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AccessScope } from '../access/access-scope.js';
import { Errors } from '../common/errors.js';
import { slugify } from '../common/slug.js';
import { ParamBag } from '../database/param-bag.js';

/** A tag with the number of photos the asking principal may see. */
export interface TagCount {
  id: number;
  name: string;
  slug: string;
  photoCount: number;
}

/** A tag as administrators list it (no visibility filter, no count). */
export interface TagRow {
  id: number;
  name: string;
  slug: string;
  createdAt: Date;
}

const MAX_TAG_NAME = 100;
const MAX_TAGS_PER_PHOTO = 200;

/**
 * Tags: the tag cloud and tag lookups through the visibility scope (a tag carried only by photos
 * the principal cannot see does not exist for that principal), and a photo's tag set.
 */
@Injectable()
export class TagService {
  constructor(private readonly dataSource: DataSource) {}

  /** Tags with at least one visible photo, with visible-photo counts, by name. */
  visible(scope: AccessScope, em: EntityManager = this.dataSource.manager): Promise<TagCount[]> {
    const p = new ParamBag();
    return em.query(
      `SELECT t.id, t.name, t.slug, count(*)::int AS "photoCount"
       FROM tags t JOIN photo_tags pt ON pt.tag_id = t.id JOIN photos p ON p.id = pt.photo_id
       WHERE ${scope.photoWhere('p', p)}
       GROUP BY t.id, t.name, t.slug ORDER BY lower(t.name), t.id`,
      p.values,
    );
  }

  /** The tag with this slug if it has a visible photo, else a 404 (same as a missing tag). */
  async visibleBySlug(scope: AccessScope, slug: string, em: EntityManager = this.dataSource.manager): Promise<TagCount> {
    const p = new ParamBag();
    const rows: TagCount[] = await em.query(
      `SELECT t.id, t.name, t.slug, count(*)::int AS "photoCount"
       FROM tags t JOIN photo_tags pt ON pt.tag_id = t.id JOIN photos p ON p.id = pt.photo_id
       WHERE t.slug = ${p.add(slug)} AND ${scope.photoWhere('p', p)}
       GROUP BY t.id, t.name, t.slug`,
      p.values,
    );
    if (!rows[0]) throw Errors.notFound('tag', slug.slice(0, 80));
    return rows[0];
  }

  /**
   * Replaces the tags of a photo by `names` (created when new, matched by slug). Runs on `em`,
   * the caller's transaction.
   */
  async setPhotoTags(em: EntityManager, photoId: number, names: string[]): Promise<void> {
    const bySlug = new Map<string, string>();
    for (const raw of names) {
      const name = raw.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
      if (!name) continue;
      if (name.length > MAX_TAG_NAME) {
        throw Errors.invalid('tag.name_too_long', `Tag names are limited to ${MAX_TAG_NAME} characters.`, [{ path: 'tags', message: `at most ${MAX_TAG_NAME} characters` }]);
      }
      const slug = slugify(name, '');
      if (!slug) throw Errors.invalid('tag.invalid_name', `"${name.slice(0, 80)}" has no letters or digits.`, [{ path: 'tags', message: 'needs letters or digits' }]);
      if (!bySlug.has(slug)) bySlug.set(slug, name);
    }
    if (bySlug.size > MAX_TAGS_PER_PHOTO) {
      throw Errors.invalid('tag.too_many', `A photo can carry at most ${MAX_TAGS_PER_PHOTO} tags.`, [{ path: 'tags', message: `at most ${MAX_TAGS_PER_PHOTO}` }]);
    }
    const slugs = [...bySlug.keys()];
    if (slugs.length) {
      await em.query(`INSERT INTO tags (name, slug) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (slug) DO NOTHING`, [[...bySlug.values()], slugs]);
    }
    await em.query(`DELETE FROM photo_tags WHERE photo_id = $1 AND tag_id NOT IN (SELECT id FROM tags WHERE slug = ANY($2::text[]))`, [photoId, slugs]);
    await em.query(
      `INSERT INTO photo_tags (photo_id, tag_id) SELECT $1, id FROM tags WHERE slug = ANY($2::text[]) ON CONFLICT DO NOTHING`,
      [photoId, slugs],
    );
  }

  /** Every tag, by name (administration: no visibility filter). */
  all(em: EntityManager = this.dataSource.manager): Promise<TagRow[]> {
    return em.query(`SELECT id, name, slug, created_at AS "createdAt" FROM tags ORDER BY lower(name), id`);
  }

  /**
   * Creates a tag without photos.
   * @throws VitrineError `tag.exists` (conflict) when a tag with the same slug exists,
   *   `tag.invalid_name` / `tag.name_too_long` (invalid).
   */
  async create(rawName: string): Promise<TagRow> {
    const name = rawName.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
    if (name.length > MAX_TAG_NAME) {
      throw Errors.invalid('tag.name_too_long', `Tag names are limited to ${MAX_TAG_NAME} characters.`, [{ path: 'name', message: `at most ${MAX_TAG_NAME} characters` }]);
    }
    const slug = slugify(name, '');
    if (!slug) throw Errors.invalid('tag.invalid_name', `"${name.slice(0, 80)}" has no letters or digits.`, [{ path: 'name', message: 'needs letters or digits' }]);
    const rows: TagRow[] = await this.dataSource.query(
      `INSERT INTO tags (name, slug) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING id, name, slug, created_at AS "createdAt"`,
      [name, slug],
    );
    if (!rows[0]) throw Errors.conflict('tag.exists', `Tag "${name.slice(0, 80)}" already exists`);
    return rows[0];
  }
}
