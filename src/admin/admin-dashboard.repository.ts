import type { EntityManager } from 'typeorm';
import type { JobQueue } from '../jobs/job-queue.js';

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
  id: string;
  name: string;
  lastError: string | null;
  updatedAt: Date;
}

/** Reads of the dashboard: counts and storage of originals (the job queue is read through JOB_QUEUE). */
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
}

/** Jobs per state, in the dashboard's order (through the active queue: table or pg-boss). */
export async function jobStateCounts(queue: JobQueue): Promise<JobStateCount[]> {
  const counts = await queue.countByState();
  return (['queued', 'active', 'failed', 'completed'] as const).map((state) => ({ state, count: counts[state] }));
}

/** The latest failed jobs, newest failure first. */
export async function recentJobFailures(queue: JobQueue, limit = 5): Promise<RecentFailure[]> {
  const failed = await queue.list({ state: 'failed', limit: 50 });
  return failed
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
    .slice(0, limit)
    .map((j) => ({ id: j.id, name: j.name, lastError: j.lastError?.slice(0, 300) ?? null, updatedAt: j.updatedAt }));
}
