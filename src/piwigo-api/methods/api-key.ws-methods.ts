import { ApiKeyService } from '../../auth/api-key.service.js';
import { clientIp } from '../../auth/auth.types.js';
import { VitrineError } from '../../common/errors.js';
import { defineWsMethod, requirePwgToken, WsError, type WsMethodDefinition } from '../../piwigo/index.js';
import { wsCallState } from '../ws-context.factory.js';
import { idString, mysqlDatetime } from '../ws-format.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Longest key lifetime accepted (Piwigo's form offers up to a year; ten years bounds the date). */
const MAX_DURATION_DAYS = 3650;

/**
 * `pwg.users.api_key.create` (include/ws_functions/pwg.users.php): only from a web-UI session
 * (`connected_with = pwg_ui`, "Acces Denied" otherwise, Piwigo's spelling), with its pwg_token.
 * Creates a Vitrine API key in Piwigo's `pkid-…` shape, usable in `X-PIWIGO-API` and as a
 * `pwg.session.login` username; the secret is answered once.
 */
export function apiKeyWsMethods(apiKeys: ApiKeyService): WsMethodDefinition[] {
  return [
    defineWsMethod({
      name: 'pwg.users.api_key.create',
      description: 'Create a new api key for the current user.',
      postOnly: true,
      params: {
        key_name: {},
        duration: { type: 'int_positive', info: 'Number of days' },
        pwg_token: {},
      },
      async handler({ key_name, duration, pwg_token }, ctx) {
        const state = wsCallState(ctx);
        if (ctx.session.connectedWith !== 'pwg_ui' || state.principal.kind !== 'user') return new WsError(401, 'Acces Denied');
        requirePwgToken({ pwg_token }, ctx);
        if (duration < 1 || duration > MAX_DURATION_DAYS) return new WsError(1003, `duration must be between 1 and ${MAX_DURATION_DAYS} days`);
        const created = new Date();
        const expiresAt = new Date(created.getTime() + duration * DAY_MS);
        const actor = { principal: state.principal, ip: clientIp(state.req) };
        const input = { name: key_name.slice(0, 100), format: 'piwigo' as const, expiresAt };
        const { key, apiKey } = await apiKeys.create(actor, { ...input, scopes: ['read', 'write'] }).catch((error: unknown) => {
          if (error instanceof VitrineError && error.code === 'api_key.scope_exceeds_role') return apiKeys.create(actor, { ...input, scopes: ['read'] });
          throw error;
        });
        const [authKey, secret] = key.split(':') as [string, string];
        return {
          auth_key: authKey,
          apikey_secret: secret,
          apikey_name: apiKey.name,
          user_id: idString(apiKey.userId),
          created_on: mysqlDatetime(apiKey.createdAt),
          key_type: 'api_key',
          duration,
          expired_on: mysqlDatetime(apiKey.expiresAt),
        };
      },
    }),
  ];
}
