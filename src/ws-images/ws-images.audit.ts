import type { AuditService } from '../audit/audit.service.js';
import { clientIp } from '../auth/auth.types.js';
import { wsAuditAction } from '../piwigo-api/ws-audit.js';
import { wsCallState } from '../piwigo-api/ws-context.factory.js';
import { WsError } from '../piwigo/ws-error.js';
import type { WsMethodDefinition, WsParamSpecs } from '../piwigo/ws-method.types.js';

/** Methods that only read, or only stage bytes (the photo is audited when it is created). */
const NOT_AUDITED = new Set(['pwg.images.getInfo', 'pwg.images.exist', 'pwg.images.checkFiles', 'pwg.images.checkUpload', 'pwg.images.addChunk']);

/**
 * Wraps a pwg.images.* write so that its success is written to the audit log, as the REST API's
 * writes are (ws.php is not a Nest controller, so the audit interceptor does not see it):
 * `ws.images.add_simple`, `ws.images.delete`, … (the action names of the other ws.php writes,
 * `wsAuditAction`) with the photo as target and the albums when known; unlike the generic
 * wrapper of src/piwigo-api it never copies params (chunks, passwords) into the summary.
 * Intermediate chunks (a `null` result of pwg.images.upload) are not recorded.
 */
export function audited(method: WsMethodDefinition<WsParamSpecs>, audit: Pick<AuditService, 'record'>): WsMethodDefinition<WsParamSpecs> {
  if (NOT_AUDITED.has(method.name)) return method;
  const action = wsAuditAction(method.name);
  return {
    ...method,
    async handler(params, ctx, call) {
      const result = await method.handler(params, ctx, call);
      if (result instanceof WsError || (result === null && method.name === 'pwg.images.upload')) return result;
      const state = wsCallState(ctx);
      const fromResult = result && typeof result === 'object' && 'image_id' in result ? (result as { image_id: unknown }).image_id : undefined;
      const fromInfo = result && typeof result === 'object' && 'id' in result ? (result as { id: unknown }).id : undefined;
      const target = fromResult ?? fromInfo ?? (Array.isArray(params.image_id) ? null : params.image_id);
      await audit.record({
        actor: state.principal,
        action,
        targetType: 'photo',
        targetId: typeof target === 'number' || typeof target === 'string' ? target : null,
        ip: clientIp(state.req),
        summary: {
          channel: 'ws',
          ...(Array.isArray(params.image_id) ? { imageIds: params.image_id.slice(0, 50) } : {}),
          ...(params.category_id !== undefined ? { albumId: params.category_id } : {}),
          ...(Array.isArray(params.category) ? { albumIds: params.category.slice(0, 50) } : {}),
        },
      });
      return result;
    },
  };
}
