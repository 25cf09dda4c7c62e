import type { AuditService } from '../audit/audit.service.js';
import { clientIp } from '../auth/auth.types.js';
import { WsError, type WsMethodDefinition } from '../piwigo/index.js';
import { wsCallState } from './ws-context.factory.js';

/** `pwg.categories.setInfo` → `ws.categories.set_info` (the audit log's action alphabet). */
export function wsAuditAction(methodName: string): string {
  return `ws.${methodName
    .replace(/^pwg\./, '')
    .replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    .replace(/[^a-z0-9_.]/g, '_')}`;
}

/**
 * Wraps a writing method so that each success is written to the audit log (who, from where, the
 * params with secrets redacted by the audit summary rules). ws.php does not pass through the
 * REST API's audit interceptor, so its writes are recorded here.
 */
export function audited(audit: AuditService, definition: WsMethodDefinition): WsMethodDefinition {
  const action = wsAuditAction(definition.name);
  return {
    ...definition,
    async handler(params, ctx, call) {
      const result = await definition.handler(params, ctx, call);
      if (!(result instanceof WsError)) {
        const state = wsCallState(ctx);
        await audit.record({ actor: state.principal, action, ip: clientIp(state.req), summary: { ...params } });
      }
      return result;
    },
  };
}
