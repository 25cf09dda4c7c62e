import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { from, mergeMap, type Observable } from 'rxjs';
import type { AccessRequest } from '../access/policies.guard.js';
import { LOGGER } from '../common/logger.js';
import { AuditService } from './audit.service.js';

export const AUDITS_ITSELF = 'vitrine:audits-itself';

/**
 * Marks a controller or handler that records its own, more precise audit entries (login,
 * logout, API keys), so that the generic write audit does not record it twice.
 */
export const AuditsItself = () => SetMetadata(AUDITS_ITSELF, true);

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Records every successful state-changing HTTP request in the audit log: who (the request's
 * principal), what (`<resource>.<handler>`, e.g. `album.update`), which target (the route's id
 * parameters), from where (IP), and a bounded summary of the request body (secrets redacted by
 * the audit summary rules). One place, so that no write path can forget it.
 */
@Injectable()
export class AuditWritesInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<AccessRequest & Request>();
    if (!WRITE_METHODS.has(req.method)) return next.handle();
    if (this.reflector.getAllAndOverride<boolean>(AUDITS_ITSELF, [context.getHandler(), context.getClass()])) return next.handle();
    const action = `${resourceName(context.getClass().name)}.${snake(context.getHandler().name)}`;
    return next.handle().pipe(
      mergeMap((result) =>
        from(
          this.record(req, context.switchToHttp().getResponse<Response>(), action, createdId(result)).then(
            () => result,
            (error) => {
              this.logger.error({ err: error, action }, 'could not write the audit entry');
              return result;
            },
          ),
        ),
      ),
    );
  }

  private record(req: AccessRequest & Request, res: Response, action: string, created: number | null): Promise<void> {
    const params = req.params ?? {};
    const idKey = Object.keys(params).find((k) => k === 'id') ?? Object.keys(params).find((k) => /id$/i.test(k));
    const body = req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? (req.body as Record<string, unknown>) : {};
    return this.audit.record({
      actor: req.principal ?? null,
      action,
      targetType: resourceName(action.split('.')[0]!),
      targetId: idKey ? String(params[idKey]) : created,
      ip: req.ip ?? null,
      summary: { method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, params, body },
    });
  }
}

/** The id of what a create returned (`{ id }` or `{ link: { id } }`), for the audit target. */
function createdId(result: unknown): number | null {
  const r = result as { id?: unknown; link?: { id?: unknown } } | null;
  const id = r?.id ?? r?.link?.id;
  return typeof id === 'number' ? id : null;
}

/** `ShareLinkController` → `share_link`. */
function resourceName(controller: string): string {
  return snake(controller.replace(/Controller$/, '')) || 'request';
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9_]/g, '').toLowerCase();
}
