import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../access/principal.js';
import { AuditService } from '../audit/audit.service.js';
import { ApiKeyService } from '../auth/api-key.service.js';
import { clientIp } from '../auth/auth.types.js';
import { SessionService } from '../auth/session.service.js';
import { CredentialService } from '../auth/credential.service.js';
import { VitrineError } from '../common/errors.js';
import { ImageSizeRegistry } from '../media/image-size.registry.js';
import { WsError, isWsAdmin, type WsAuthPort, type WsContext, type WsStatusFacts } from '../piwigo/index.js';
import { wsCallState } from './ws-context.factory.js';
import { WsSessionStore } from './ws-session.store.js';

/** Piwigo's size order (`ImageStdParams::get_all_types`), the order of `available_sizes`. */
const PIWIGO_SIZE_ORDER = ['square', 'thumb', '2small', 'xsmall', 'small', 'medium', 'large', 'xlarge', 'xxlarge', '3xlarge', '4xlarge'];
/** Formats the ingest pipeline accepts, as Piwigo lists them (`upload_file_types`). */
export const WS_UPLOAD_FILE_TYPES = 'jpg,jpeg,png,gif,webp'; // Piwigo's default list (clients filter on it)
/** `$conf['upload_form_chunk_size']` (KB): what pwg.images.upload clients slice files into. */
export const WS_UPLOAD_CHUNK_KB = 500;

/**
 * `pwg.session.*` over Vitrine's auth: the password check, throttling and audit of
 * {@link CredentialService} (every failure is Piwigo's 999; a throttled login is a 429), API-key
 * logins through {@link ApiKeyService}, `pwg_id` sessions through {@link WsSessionStore}.
 */
@Injectable()
export class WsAuthAdapter implements WsAuthPort {
  constructor(
    private readonly dataSource: DataSource,
    private readonly credentials: CredentialService,
    private readonly apiKeys: ApiKeyService,
    private readonly sessions: WsSessionStore,
    private readonly audit: AuditService,
    private readonly sizes: ImageSizeRegistry,
    private readonly webSessions: SessionService,
  ) {}

  async logIn(ctx: WsContext, username: string, password: string | null, connectedWith: 'ws_session_login'): Promise<boolean> {
    const state = wsCallState(ctx);
    let user;
    try {
      user = await this.credentials.verify(username, password ?? '', clientIp(state.req));
    } catch (error) {
      if (error instanceof VitrineError && error.kind === 'unauthenticated') return false;
      if (error instanceof VitrineError && error.kind === 'rate_limited') throw new WsError(429, error.message);
      throw error;
    }
    const principal: Principal = { kind: 'user', userId: user.id, username: user.username, role: user.role, privacyLevel: user.privacyLevel };
    await this.bind(ctx, principal, connectedWith);
    await this.dataSource.query(`UPDATE users SET last_login_at = now() WHERE id = $1`, [user.id]);
    return true;
  }

  async logInWithApiKey(ctx: WsContext, keyId: string, secret: string | null, connectedWith: 'ws_session_login_api_key'): Promise<boolean> {
    let principal: Principal;
    try {
      principal = await this.apiKeys.authenticate(`${keyId}:${secret ?? ''}`);
    } catch (error) {
      if (error instanceof VitrineError && error.kind === 'unauthenticated') return false;
      throw error;
    }
    await this.bind(ctx, principal, connectedWith);
    return true;
  }

  async logOut(ctx: WsContext): Promise<void> {
    const state = wsCallState(ctx);
    if (state.webSession) return this.webSessions.logout(state.req); // audits the logout itself
    await this.sessions.logOut(state.session);
    if (state.principal.kind === 'user') {
      await this.audit.record({ actor: state.principal, action: 'auth.logout', targetType: 'user', targetId: state.principal.userId, ip: clientIp(state.req) });
    }
  }

  async statusFacts(ctx: WsContext): Promise<WsStatusFacts> {
    const state = wsCallState(ctx);
    const [row] = (await this.dataSource.query(`SELECT to_char(now(), 'YYYY-MM-DD HH24:MI:SS') AS now`)) as { now: string }[];
    let language = 'en_GB';
    if (state.principal.kind === 'user') {
      const [user] = (await this.dataSource.query(`SELECT locale FROM users WHERE id = $1`, [state.principal.userId])) as { locale: string | null }[];
      if (user?.locale) language = user.locale.replace('-', '_');
    }
    const all = this.sizes.all();
    const availableSizes = PIWIGO_SIZE_ORDER.filter((name) => Object.hasOwn(all, name) && all[name]!.enabled !== false);
    return {
      theme: 'default',
      language,
      currentDatetime: row!.now,
      // Piwigo's do_log(): visits of admins are not recorded by default.
      saveVisits: !isWsAdmin(ctx.principal),
      availableSizes,
      uploadFileTypes: WS_UPLOAD_FILE_TYPES,
      uploadFormChunkSize: WS_UPLOAD_CHUNK_KB,
    };
  }

  private async bind(ctx: WsContext, principal: Principal, connectedWith: string): Promise<void> {
    const state = wsCallState(ctx);
    if (principal.kind !== 'user') throw new WsError(401, 'Cannot use this method with an api key');
    await this.sessions.logIn(state.session, principal.userId, connectedWith);
    state.principal = principal;
    await this.audit.record({ actor: principal, action: 'auth.login', targetType: 'user', targetId: principal.userId, ip: clientIp(state.req), summary: { channel: 'ws' } });
  }
}
