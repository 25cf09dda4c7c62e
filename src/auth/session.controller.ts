import { Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { AuditsItself } from '../audit/audit-writes.interceptor.js';
import { Public } from '../access/policies.decorator.js';
import { VitrineError } from '../common/errors.js';
import { parseInput } from '../common/validation.js';
import { MAX_PASSWORD_LENGTH } from '../users/password.hasher.js';
import { type MeView, type PublicUser, SessionService, toPublicUser } from './session.service.js';
import { ApiDoc } from '../api/api-schema.decorator.js';
import { isoDate } from '../common/view.schema.js';
import { ApiTags } from '@nestjs/swagger';

const publicUser = z.object({
  id: z.number().int(),
  username: z.string(),
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  role: z.string(),
  privacyLevel: z.number().int(),
  locale: z.string().nullable(),
  lastLoginAt: isoDate,
});
const principal = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('guest'), role: z.literal('guest'), privacyLevel: z.literal(0) }),
  z.object({
    kind: z.literal('user'),
    userId: z.number().int(),
    username: z.string(),
    role: z.string(),
    privacyLevel: z.number().int(),
    apiKey: z.object({ id: z.number().int(), scopes: z.array(z.string()) }).optional(),
  }),
  z.object({ kind: z.literal('share'), shareLinkId: z.number().int(), role: z.literal('guest'), privacyLevel: z.literal(0), allowDownload: z.boolean() }),
]);
const meView = z.object({
  authenticated: z.boolean(),
  via: z.enum(['session', 'api_key', 'share', 'none']),
  principal,
  user: publicUser.nullable(),
  csrfToken: z.string().nullable(),
});

/** Login body of the JSON API. */
export const loginBody = z.strictObject({
  username: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

/**
 * The session API: `POST /api/v1/session` (log in), `DELETE /api/v1/session` (log out),
 * `GET /api/v1/me` (who am I). All public: they work for guests by design.
 */
@ApiTags('session')
@AuditsItself()
@Controller('api/v1')
export class SessionController {
  constructor(private readonly sessions: SessionService) {}

  /**
   * Logs in with `{ username, password }` (user name or e-mail), JSON only. Sets the session
   * cookie and answers the user and the new session's CSRF token.
   */
  @Post('session')
  @HttpCode(200)
  @Public()
  @ApiDoc({ summary: 'Log in (JSON credentials): sets the session cookie, answers the user and CSRF token', body: loginBody, response: z.object({ authenticated: z.literal(true), user: publicUser, csrfToken: z.string().nullable() }) })
  async login(@Req() req: Request): Promise<{ authenticated: true; user: PublicUser; csrfToken: string | null }> {
    if (!req.is('application/json')) throw new VitrineError('unsupported', 'auth.json_required', 'Send the credentials as application/json.');
    req.body = parseInput(loginBody, req.body);
    const user = await this.sessions.login(req, 'api');
    return { authenticated: true, user: toPublicUser(user), csrfToken: req.session.csrfToken ?? null };
  }

  /** Logs out: destroys the session and clears the cookie (204, also when there was none). */
  @Delete('session')
  @HttpCode(204)
  @Public()
  @ApiDoc({ summary: 'Log out (also without a session)' })
  async logout(@Req() req: Request): Promise<void> {
    await this.sessions.logout(req);
  }

  /**
   * The current principal. Always 200: guests get `{ authenticated: false, user: null }`, so a
   * client can ask without handling an error for the normal logged-out state.
   */
  @Get('me')
  @Public()
  @ApiDoc({ summary: 'Who am I: the principal of this request (guests too)', response: meView })
  me(@Req() req: Request): Promise<MeView> {
    return this.sessions.me(req);
  }
}
