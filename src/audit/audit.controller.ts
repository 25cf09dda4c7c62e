import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { CheckPolicies } from '../access/policies.decorator.js';
import { parseInput } from '../common/validation.js';
import { AuditService, type AuditPage } from './audit.service.js';
import { ApiDoc } from '../api/api-schema.decorator.js';
import { ApiTags } from '@nestjs/swagger';

const isoDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((s) => new Date(s));
const querySchema = z.strictObject({
  action: z.string().max(100).regex(/^[a-z0-9_.]+$/, 'letters, digits, _ and . only').optional(),
  actorId: z.string().regex(/^\d{1,10}$/, 'a user id').transform(Number).optional(),
  targetType: z.string().min(1).max(50).optional(),
  targetId: z.string().min(1).max(100).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  cursor: z.string().regex(/^\d{1,18}$/, 'a cursor from nextCursor').optional(),
  limit: z.string().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(200)).optional(),
});

const auditPage = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      at: z.iso.datetime(),
      actor: z.object({ userId: z.number().int().nullable(), label: z.string() }),
      action: z.string(),
      target: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
      ip: z.string().nullable(),
      summary: z.record(z.string(), z.unknown()),
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** `GET /api/v1/audit`: the audit log, newest first, for administrators (webmaster, admin). */
@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * Filters: `action` (prefix), `actorId`, `targetType`, `targetId`, `from`/`to` (ISO dates,
   * `to` exclusive); paging: `limit` (≤ 200) and `cursor` (the previous page's `nextCursor`).
   */
  @Get()
  @CheckPolicies((ability) => ability.can('read', 'AuditLog'))
  @ApiDoc({ summary: 'The audit log, newest first (filters, cursor pages)', query: querySchema, response: auditPage })
  list(@Query() query: unknown): Promise<AuditPage> {
    const q = parseInput(querySchema, query, 'query');
    return this.audit.list({
      actionPrefix: q.action,
      actorUserId: q.actorId,
      targetType: q.targetType,
      targetId: q.targetId,
      from: q.from,
      to: q.to,
      cursor: q.cursor,
      limit: q.limit,
    });
  }
}
