import { isWsAdmin, isWsGuest } from './ws-context.types.js';
import { PIWIGO_COMPAT_VERSION } from './ws-core.methods.js';
import { WsError } from './ws-error.js';
import { defineWsMethod, type WsMethodRegistry } from './ws-method.registry.js';
import type { WsMethodDefinition } from './ws-method.types.js';
import type { WsAuthPort } from './ws-session.types.js';
import type { WsValue } from './ws-values.js';

const API_KEY_ID = /^pkid-\d{8}-[a-z0-9]{20}$/i;
const API_KEY_REFUSAL = 'Cannot use this method with an api key';

/**
 * `pwg.session.login`, `pwg.session.logout` and `pwg.session.getStatus` (include/ws_functions/pwg.php)
 * on top of the auth layer's {@link WsAuthPort}.
 */
export function sessionWsMethods(auth: WsAuthPort, options: { version?: string } = {}): WsMethodDefinition[] {
  const version = options.version ?? PIWIGO_COMPAT_VERSION;

  const login = defineWsMethod({
    name: 'pwg.session.login',
    description: 'Tries to login the user.',
    postOnly: true,
    params: { username: {}, password: { default: null } },
    handler: async ({ username, password }, ctx) => {
      if (ctx.apiKeyAuth === 'header') return new WsError(401, API_KEY_REFUSAL);
      const secret = typeof password === 'string' ? password : null;
      const ok = API_KEY_ID.test(username)
        ? await auth.logInWithApiKey(ctx, username, secret, 'ws_session_login_api_key')
        : await auth.logIn(ctx, username, secret, 'ws_session_login');
      return ok ? true : new WsError(999, 'Invalid username/password');
    },
  });

  const logout = defineWsMethod({
    name: 'pwg.session.logout',
    description: 'Ends the current session.',
    handler: async (_params, ctx) => {
      if (ctx.apiKeyAuth === 'header') return new WsError(401, API_KEY_REFUSAL);
      if (!isWsGuest(ctx.principal)) await auth.logOut(ctx);
      return true;
    },
  });

  const getStatus = defineWsMethod({
    name: 'pwg.session.getStatus',
    description: 'Gets information about the current session. Also provides a token useable with admin methods.',
    handler: async (_params, ctx) => {
      const facts = await auth.statusFacts(ctx);
      const userAgent = ctx.http.header('user-agent');
      const result: Record<string, WsValue> = {
        username: isWsGuest(ctx.principal) ? 'guest' : ctx.principal.username,
        status: ctx.principal.status,
        theme: facts.theme,
        language: facts.language,
        pwg_token: ctx.session.pwgToken,
        charset: 'utf-8',
        current_datetime: facts.currentDatetime,
        version,
        save_visits: facts.saveVisits,
        connected_with: ctx.session.connectedWith ?? null,
      };
      // Piwigo Remote Sync predates save_visits/connected_with and chokes on them.
      if (userAgent !== undefined && /^PiwigoRemoteSync/.test(userAgent)) {
        delete result['save_visits'];
        delete result['connected_with'];
      }
      // ...and on available_sizes (it sends an Apache HttpClient user agent).
      if (userAgent === undefined || !userAgent.startsWith('Apache-HttpClient/')) {
        result['available_sizes'] = [...facts.availableSizes];
      }
      if (isWsAdmin(ctx.principal)) {
        result['upload_file_types'] = facts.uploadFileTypes;
        result['upload_form_chunk_size'] = facts.uploadFormChunkSize;
      }
      return result;
    },
  });

  return [getStatus, login, logout];
}

/** Registers the three pwg.session.* methods. */
export function registerSessionWsMethods(registry: WsMethodRegistry, auth: WsAuthPort, options: { version?: string } = {}): WsMethodRegistry {
  return registry.registerAll(sessionWsMethods(auth, options));
}
