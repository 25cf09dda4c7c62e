import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { GUEST, type Principal } from '../access/principal.js';
import { ApiKeyService } from '../auth/api-key.service.js';
import { bearerToken, clientIp } from '../auth/auth.types.js';
import { CredentialService } from '../auth/credential.service.js';
import { principalOf } from '../auth/principal.resolver.js';
import { VitrineError } from '../common/errors.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { computePwgToken, pwgTokenMatches, WsError, type WsConnectedWith, type WsContext, type WsPrincipal, type WsParsedRequest, type WsUserStatus } from '../piwigo/index.js';
import { AppSecretService } from '../settings/app-secret.service.js';
import { WsSessionStore, type WsSessionState } from './ws-session.store.js';

/** Per-request facts the integration keeps beside the engine's {@link WsContext}. */
export interface WsCallState {
  /** The Vitrine principal every service and the visibility filter take. */
  principal: Principal;
  /** The `pwg_id` session (a guest one when the caller authenticated otherwise). */
  session: WsSessionState;
  /** The caller rides on the web session (`vitrine_sid`, Piwigo's `pwg_ui`). */
  webSession: boolean;
  req: Request;
  res: Response;
}

const states = new WeakMap<WsContext, WsCallState>();

/**
 * The Vitrine principal of a ws.php call: what handlers hand to services and to
 * `VisibilityService.scopeFor`. Plugins' ws methods use it too.
 * @throws Error when `ctx` was not built by Vitrine's ws.php (a bug).
 */
export function wsPrincipal(ctx: WsContext): Principal {
  return wsCallState(ctx).principal;
}

/** The request state behind a context (session, express request and response). */
export function wsCallState(ctx: WsContext): WsCallState {
  const state = states.get(ctx);
  if (!state) throw new Error('This WsContext was not built by the ws.php integration');
  return state;
}

/** Piwigo's user status for a Vitrine principal (editor, contributor and member are `normal`). */
export function wsStatusOf(principal: Principal): WsUserStatus {
  if (principal.kind !== 'user' || principal.role === 'guest') return 'guest';
  if (principal.role === 'webmaster' || principal.role === 'admin') return principal.role;
  return 'normal';
}

/**
 * Builds the {@link WsContext} of a ws.php request. Who calls, in order:
 * 1. `X-PIWIGO-API: <key>` (Piwigo's API-key header; Vitrine keys work too): the key's owner,
 *    `connected_with = api_key`, a valid `pwg_token` forced into the params; a bad key → 401
 *    `Invalid api_key` (answered in the requested format).
 * 2. `Authorization: Bearer vtr_…` (already resolved by the auth middleware): same as 1.
 * 3. The `pwg_id` session (pwg.session.login).
 * 4. The web session (`vitrine_sid`, Piwigo's `pwg_ui`): `pwg_token` derived from that session;
 *    writes require it (see `webSessionWriteGuard`).
 * 5. Otherwise the guest (or the share-link visitor) on a `pwg_id` guest session.
 */
@Injectable()
export class WsContextFactory {
  constructor(
    private readonly sessions: WsSessionStore,
    private readonly apiKeys: ApiKeyService,
    private readonly secrets: AppSecretService,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
    private readonly credentials: CredentialService,
  ) {}

  private uploadAsyncLogin(req: Request, session: WsSessionState, parsed: WsParsedRequest): Promise<void> {
    return uploadAsyncInlineLogin(this.credentials, this.sessions, req, session, parsed);
  }

  async create(req: Request, res: Response, parsed?: WsParsedRequest): Promise<WsContext> {
    const secret = (await this.secrets.get()).toString('base64url');
    const session = await this.sessions.open(req, res);
    const header = req.get('x-piwigo-api');
    const viaHeader = header !== undefined && header !== '';
    const bearer = bearerToken(req) !== null;
    if (!viaHeader && !bearer && parsed && session.userId === null) await this.uploadAsyncLogin(req, session, parsed);

    let principal: Principal;
    let sessionId = session.id;
    let connectedWith: WsConnectedWith | null = session.connectedWith;
    let apiKeyAuth: WsContext['apiKeyAuth'] = null;
    if (viaHeader) {
      principal = await this.apiKeys.authenticate(header).catch((error: unknown) => {
        if (error instanceof VitrineError && error.kind === 'unauthenticated') throw new WsError(401, 'Invalid api_key');
        throw error;
      });
      connectedWith = 'api_key';
      apiKeyAuth = 'header';
    } else if (bearer) {
      principal = principalOf(req); // authenticated (or refused) by the auth middleware
      connectedWith = 'api_key';
      apiKeyAuth = 'header';
    } else {
      const sessionUser = await this.sessions.principalFor(session);
      const web = principalOf(req);
      if (sessionUser) {
        principal = sessionUser;
        connectedWith = session.connectedWith;
        apiKeyAuth = session.connectedWith === 'ws_session_login_api_key' ? 'session' : null;
      } else if (web.kind === 'user' && req.session && typeof req.sessionID === 'string') {
        principal = web;
        sessionId = `web:${req.sessionID}`;
        connectedWith = 'pwg_ui';
      } else {
        principal = web.kind === 'share' ? web : GUEST;
        connectedWith = null;
      }
    }

    const pwgToken = computePwgToken(sessionId, secret);
    const ctx: WsContext = {
      principal: toWsPrincipal(principal),
      guestAccess: true,
      apiKeyAuth,
      forcedParams: apiKeyAuth === 'header' ? { pwg_token: pwgToken } : undefined,
      session: {
        id: sessionId,
        pwgToken,
        checkPwgToken: (candidate) => pwgTokenMatches(candidate, pwgToken),
        connectedWith,
      },
      http: { header: (name) => req.get(name), ip: req.ip, baseUrl: this.config.publicUrl, raw: req },
    };
    states.set(ctx, { principal, session, webSession: connectedWith === 'pwg_ui', req, res });
    return ctx;
  }
}

/**
 * Piwigo's inline login of `pwg.images.uploadAsync` (include/user.inc.php): `username` and
 * `password` POST fields log the caller in on this request's `pwg_id` session (the mobile apps'
 * background uploads, which may have lost the cookie); `connected_with` is the method's name.
 * A wrong pair answers 999 `Invalid username/password`, as a failed pwg.session.login does.
 */
export async function uploadAsyncInlineLogin(
  credentials: Pick<CredentialService, 'verify'>,
  sessions: Pick<WsSessionStore, 'logIn'>,
  req: Request,
  session: WsSessionState,
  parsed: WsParsedRequest,
): Promise<void> {
  const { username, password } = parsed.body;
  if (parsed.methodName !== 'pwg.images.uploadAsync' || typeof username !== 'string' || typeof password !== 'string' || username === '') return;
  let userId: number;
  try {
    userId = (await credentials.verify(username, password, clientIp(req))).id;
  } catch (error) {
    if (error instanceof VitrineError && error.kind === 'rate_limited') throw new WsError(429, error.message);
    if (error instanceof VitrineError && error.kind === 'unauthenticated') throw new WsError(999, 'Invalid username/password');
    throw error;
  }
  await sessions.logIn(session, userId, 'pwg.images.uploadAsync');
}

function toWsPrincipal(principal: Principal): WsPrincipal {
  if (principal.kind !== 'user') return { userId: null, username: 'guest', status: 'guest' };
  return { userId: principal.userId, username: principal.username, status: wsStatusOf(principal) };
}
