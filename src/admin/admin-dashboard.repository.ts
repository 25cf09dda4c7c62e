import type { EntityManager } from 'typeorm';

export interface DashboardCounts {
  albums: number;
  privateAlbums: number;
  photos: number;
  users: number;
  groups: number;
  tags: number;
  activeShareLinks: number;
  storageBytes: number;
}

export interface JobStateCount {
  state: 'queued' | 'active' | 'completed' | 'failed';
  count: number;
}

export interface RecentFailure {
  id: number;
  name: string;
  lastError: string | null;
  updatedAt: Date;
}

/** Reads of the dashboard: counts, storage of originals, the job queue. One query each. */
export class AdminDashboardRepository {
  constructor(private readonly em: EntityManager) {}

  async counts(): Promise<DashboardCounts> {
    const rows: Record<string, string | number | null>[] = await this.em.query(`
      SELECT (SELECT count(*) FROM albums) AS albums,
             (SELECT count(*) FROM albums WHERE status = 'private') AS private_albums,
             (SELECT count(*) FROM photos) AS photos,
             (SELECT coalesce(sum(file_size), 0) FROM photos) AS storage_bytes,
             (SELECT count(*) FROM users) AS users,
             (SELECT count(*) FROM groups) AS groups,
             (SELECT count(*) FROM tags) AS tags,
             (SELECT count(*) FROM share_links WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())) AS active_share_links`);
    const r = rows[0]!;
    const n = (k: string) => Number(r[k] ?? 0);
    return {
      albums: n('albums'),
      privateAlbums: n('private_albums'),
      photos: n('photos'),
      users: n('users'),
      groups: n('groups'),
      tags: n('tags'),
      activeShareLinks: n('active_share_links'),
      storageBytes: n('storage_bytes'),
    };
  }

  async jobStates(): Promise<JobStateCount[]> {
    const rows: { state: JobStateCount['state']; count: string }[] = await this.em.query(`SELECT state, count(*) AS count FROM jobs GROUP BY state`);
    return (['queued', 'active', 'failed', 'completed'] as const).map((state) => ({ state, count: Number(rows.find((r) => r.state === state)?.count ?? 0) }));
  }

  async recentFailures(limit = 5): Promise<RecentFailure[]> {
    const rows: { id: string; name: string; last_error: string | null; updated_at: Date }[] = await this.em.query(
      `SELECT id, name, last_error, updated_at FROM jobs WHERE state = 'failed' ORDER BY updated_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ id: Number(r.id), name: r.name, lastError: r.last_error?.slice(0, 300) ?? null, updatedAt: r.updated_at }));
  }
}
