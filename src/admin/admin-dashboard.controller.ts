import { Controller, Get, Inject, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { JOB_QUEUE, type JobQueue } from '../jobs/job-queue.js';
import { AdminDashboardRepository, jobStateCounts, recentJobFailures } from './admin-dashboard.repository.js';
import { AdminErrorFilter } from './admin-error.filter.js';
import { AdminPageService } from './admin-page.service.js';
import { AdminPolicies } from './admin-policies.js';

/** `GET /admin`: counts, storage, the job queue and recent activity. */
@Controller('admin')
@UseFilters(AdminErrorFilter)
export class AdminDashboardController {
  constructor(
    private readonly pages: AdminPageService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(JOB_QUEUE) private readonly jobQueue: JobQueue,
  ) {}

  @Get()
  @AdminPolicies.dashboard
  async dashboard(@Req() req: Request, @Res() res: Response): Promise<void> {
    const repo = new AdminDashboardRepository(this.dataSource.manager);
    const ability = await this.pages.ability(req);
    const canAudit = ability.can('read', 'AuditLog');
    const [counts, jobs, failures, activity] = await Promise.all([
      repo.counts(),
      jobStateCounts(this.jobQueue),
      recentJobFailures(this.jobQueue),
      canAudit ? this.audit.list({ limit: 12 }) : Promise.resolve(null),
    ]);
    await this.pages.send(req, res, 'dashboard', 'Dashboard', {
      counts,
      jobs,
      failures,
      activity: activity?.items ?? null,
      canAudit,
      can: { users: ability.can('manage', 'User'), groups: ability.can('manage', 'Group'), photos: ability.can('manage', 'Photo') },
    });
  }
}
