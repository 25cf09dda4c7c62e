import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { UserService } from '../users/user.service.js';
import { AdminErrorFilter } from './admin-error.filter.js';
import { formId, parseForm } from './admin-form.js';
import { AdminPageService } from './admin-page.service.js';
import { AdminPolicies } from './admin-policies.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const filterQuery = z.strictObject({
  action: z.string().max(100).regex(/^[a-z0-9_.]*$/, 'letters, digits, _ and . only').optional(),
  actor: z.union([z.literal(''), formId]).optional(),
  targetType: z.string().max(50).regex(/^[a-z0-9_]*$/, 'letters, digits and _ only').optional(),
  targetId: z.string().max(50).optional(),
  from: z.union([z.literal(''), z.string().regex(DAY, 'must be a date')]).optional(),
  to: z.union([z.literal(''), z.string().regex(DAY, 'must be a date')]).optional(),
  cursor: z.string().regex(/^\d{1,18}$/).optional(),
});

/** `/admin/audit`: the audit log, newest first, filtered by action prefix, actor, target and dates; 50 per page. */
@Controller('admin/audit')
@UseFilters(AdminErrorFilter)
@AdminPolicies.audit
export class AdminAuditController {
  constructor(
    private readonly pages: AdminPageService,
    private readonly audit: AuditService,
    private readonly users: UserService,
  ) {}

  @Get()
  async list(@Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const f = parseForm(filterQuery, query);
    const day = (s: string | undefined, plus = 0) => (s ? new Date(Date.parse(`${s}T00:00:00Z`) + plus) : undefined);
    const page = await this.audit.list({
      actionPrefix: f.action || undefined,
      actorUserId: typeof f.actor === 'number' ? f.actor : undefined,
      targetType: f.targetType || undefined,
      targetId: f.targetId?.trim() || undefined,
      from: day(f.from || undefined),
      to: day(f.to || undefined, 86_400_000),
      cursor: f.cursor,
      limit: 50,
    });
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...f, cursor: page.nextCursor ?? '' })) if (v !== undefined && v !== '') next.set(k, String(v));
    await this.pages.send(req, res, 'audit', 'Audit log', {
      entries: page.items.map((e) => ({ ...e, summaryText: summarise(e.summary) })),
      users: await this.users.list({ limit: 1000 }),
      filter: { ...f, actor: f.actor ?? '' },
      nextUrl: page.nextCursor ? `/admin/audit?${next.toString()}` : null,
      firstUrl: f.cursor ? `/admin/audit?${new URLSearchParams(Object.entries({ ...f, cursor: undefined }).filter(([, v]) => v !== undefined && v !== '').map(([k, v]): [string, string] => [k, String(v)])).toString()}` : null,
    });
  }
}

/** A short, single-line view of an entry's summary (already bounded and redacted by the audit service). */
function summarise(summary: Record<string, unknown>): string {
  const text = JSON.stringify(summary);
  return text === '{}' ? '' : text.length > 300 ? `${text.slice(0, 297)}…` : text;
}
